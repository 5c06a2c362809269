import type { jobs } from '@databricks/sdk-experimental';
import { isTerminal, type LifeCycleState, type ResultState, type TerminationCode, type TerminationType } from './model.js';

/**
 * The two state views clients read: the legacy `state` object (what SDK waiters poll) and the
 * newer `status` object, derived from one stored row so they never disagree.
 */
export interface StateFields {
  lifeCycleState: LifeCycleState;
  resultState: ResultState | null;
  stateMessage: string;
  userCancelledOrTimedout: boolean;
  terminationCode: TerminationCode | null;
  terminationType: TerminationType | null;
  queueCode?: jobs.QueueDetailsCodeCode | null;
  queueMessage?: string | null;
}

export type Termination = { code: TerminationCode; type: TerminationType };

/** Default termination details for a result when the engine did not record a more specific one. */
export function terminationFor(resultState: string | null, lifeCycleState: string): Termination {
  if (lifeCycleState === 'SKIPPED') return { code: 'MAX_CONCURRENT_RUNS_EXCEEDED', type: 'CLIENT_ERROR' };
  switch (resultState) {
    case 'SUCCESS':
      return { code: 'SUCCESS', type: 'SUCCESS' };
    case 'SUCCESS_WITH_FAILURES':
      return { code: 'SUCCESS_WITH_FAILURES', type: 'SUCCESS' };
    case 'CANCELED':
      return { code: 'USER_CANCELED', type: 'SUCCESS' };
    case 'TIMEDOUT':
      return { code: 'CANCELED', type: 'CLIENT_ERROR' };
    case 'EXCLUDED':
      return { code: 'SKIPPED', type: 'SUCCESS' };
    case 'UPSTREAM_FAILED':
    case 'UPSTREAM_CANCELED':
      return { code: 'SKIPPED', type: 'CLIENT_ERROR' };
    case 'DISABLED':
      return { code: 'DISABLED', type: 'SUCCESS' };
    case 'MAXIMUM_CONCURRENT_RUNS_REACHED':
      return { code: 'MAX_CONCURRENT_RUNS_EXCEEDED', type: 'CLIENT_ERROR' };
    default:
      return { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR' };
  }
}

export function legacyState(row: StateFields): jobs.RunState {
  const state: jobs.RunState = { life_cycle_state: row.lifeCycleState };
  if (isTerminal(row.lifeCycleState) && row.resultState) state.result_state = row.resultState;
  state.state_message = row.stateMessage;
  state.user_cancelled_or_timedout = row.userCancelledOrTimedout;
  if (row.lifeCycleState === 'QUEUED' && row.queueMessage) state.queue_reason = row.queueMessage;
  return state;
}

const V2_STATE: Partial<Record<LifeCycleState, jobs.RunLifecycleStateV2State>> = {
  QUEUED: 'QUEUED',
  PENDING: 'PENDING',
  BLOCKED: 'BLOCKED',
  RUNNING: 'RUNNING',
  TERMINATING: 'TERMINATING',
  WAITING_FOR_RETRY: 'WAITING',
};

export function statusObject(row: StateFields): jobs.RunStatus {
  if (!isTerminal(row.lifeCycleState)) {
    const status: jobs.RunStatus = { state: V2_STATE[row.lifeCycleState] ?? 'PENDING' };
    if (row.lifeCycleState === 'QUEUED' && row.queueCode) {
      status.queue_details = { code: row.queueCode, message: row.queueMessage ?? '' };
    }
    return status;
  }
  const fallback = terminationFor(row.resultState, row.lifeCycleState);
  return {
    state: 'TERMINATED',
    termination_details: {
      code: row.terminationCode ?? fallback.code,
      type: row.terminationType ?? fallback.type,
      message: row.stateMessage,
    },
  };
}
