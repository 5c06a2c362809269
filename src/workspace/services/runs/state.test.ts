import { describe, expect, it } from 'vitest';
import { legacyState, statusObject, type StateFields } from './state.js';

const row = (over: Partial<StateFields>): StateFields => ({ lifeCycleState: 'RUNNING', resultState: null, stateMessage: '', userCancelledOrTimedout: false, terminationCode: null, terminationType: null, ...over });

describe('run state views', () => {
  it('active states have no result and map to the v2 states', () => {
    expect(legacyState(row({}))).toEqual({ life_cycle_state: 'RUNNING', state_message: '', user_cancelled_or_timedout: false });
    expect(statusObject(row({ lifeCycleState: 'WAITING_FOR_RETRY' }))).toEqual({ state: 'WAITING' });
    expect(statusObject(row({ lifeCycleState: 'BLOCKED' }))).toEqual({ state: 'BLOCKED' });
  });
  it('queued runs carry queue details', () => {
    const q = row({ lifeCycleState: 'QUEUED', queueCode: 'MAX_CONCURRENT_RUNS_REACHED', queueMessage: 'Queued due to reaching maximum concurrent runs of 1.' });
    expect(statusObject(q)).toEqual({ state: 'QUEUED', queue_details: { code: 'MAX_CONCURRENT_RUNS_REACHED', message: 'Queued due to reaching maximum concurrent runs of 1.' } });
    expect(legacyState(q)['queue_reason']).toBe('Queued due to reaching maximum concurrent runs of 1.');
  });
  it('terminal states carry termination details', () => {
    expect(statusObject(row({ lifeCycleState: 'TERMINATED', resultState: 'SUCCESS' }))).toEqual({ state: 'TERMINATED', termination_details: { code: 'SUCCESS', type: 'SUCCESS', message: '' } });
    expect(statusObject(row({ lifeCycleState: 'TERMINATED', resultState: 'CANCELED' }))).toMatchObject({ termination_details: { code: 'USER_CANCELED' } });
    expect(statusObject(row({ lifeCycleState: 'TERMINATED', resultState: 'UPSTREAM_FAILED' }))).toMatchObject({ termination_details: { code: 'SKIPPED' } });
    const skipped = row({ lifeCycleState: 'SKIPPED', stateMessage: 'Skipping' });
    expect(legacyState(skipped)).toEqual({ life_cycle_state: 'SKIPPED', state_message: 'Skipping', user_cancelled_or_timedout: false });
    expect(statusObject(skipped)).toMatchObject({ state: 'TERMINATED', termination_details: { code: 'MAX_CONCURRENT_RUNS_EXCEEDED' } });
    expect(statusObject(row({ lifeCycleState: 'INTERNAL_ERROR', resultState: 'FAILED', terminationCode: 'RESOURCE_NOT_FOUND', terminationType: 'CLIENT_ERROR' }))).toMatchObject({ termination_details: { code: 'RESOURCE_NOT_FOUND', type: 'CLIENT_ERROR' } });
  });
});
