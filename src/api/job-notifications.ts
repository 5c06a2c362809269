/** Notification and health settings of jobs and tasks (parts of JobSettings, see job-settings.ts). */
import { z } from 'zod';
import { BoolSchema, IntSchema, knownObject } from './scalars.js';

const addressList = z.array(z.string());

export const JobEmailNotificationsSchema = knownObject({
  on_start: addressList.optional(),
  on_success: addressList.optional(),
  on_failure: addressList.optional(),
  on_duration_warning_threshold_exceeded: addressList.optional(),
  on_streaming_backlog_exceeded: addressList.optional(),
  no_alert_for_skipped_runs: BoolSchema.optional(),
});
/** tasks use the same fields as jobs */
export const TaskEmailNotificationsSchema = JobEmailNotificationsSchema;

export const WebhookSchema = knownObject({ id: z.string() });
const webhookList = z.array(WebhookSchema);
export const WebhookNotificationsSchema = knownObject({
  on_start: webhookList.optional(),
  on_success: webhookList.optional(),
  on_failure: webhookList.optional(),
  on_duration_warning_threshold_exceeded: webhookList.optional(),
  on_streaming_backlog_exceeded: webhookList.optional(),
});

export const JobNotificationSettingsSchema = knownObject({
  no_alert_for_skipped_runs: BoolSchema.optional(),
  no_alert_for_canceled_runs: BoolSchema.optional(),
});
export const TaskNotificationSettingsSchema = knownObject({
  no_alert_for_skipped_runs: BoolSchema.optional(),
  no_alert_for_canceled_runs: BoolSchema.optional(),
  alert_on_last_attempt: BoolSchema.optional(),
});

export const HealthRuleSchema = knownObject({ metric: z.string(), op: z.string(), value: IntSchema });
export const HealthSchema = knownObject({ rules: z.array(HealthRuleSchema).optional() });
