import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineExceededError, startDeadline } from '../../../src/images/deadline';

describe('startDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes after exactly `ms`: aborts its signal with DeadlineExceededError and runs callbacks once', () => {
    const deadline = startDeadline(100);
    let calls = 0;
    deadline.onExpire(() => calls++);
    vi.advanceTimersByTime(99);
    expect(deadline.expired).toBe(false);
    expect(deadline.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceededError);
    vi.advanceTimersByTime(1000);
    expect(calls).toBe(1);
  });

  it('onExpire after the deadline runs the callback at once', () => {
    const deadline = startDeadline(10);
    vi.advanceTimersByTime(10);
    let called = false;
    deadline.onExpire(() => {
      called = true;
    });
    expect(called).toBe(true);
  });

  it('an unsubscribed callback does not run', () => {
    const deadline = startDeadline(10);
    let called = false;
    const unsubscribe = deadline.onExpire(() => {
      called = true;
    });
    unsubscribe();
    vi.advanceTimersByTime(10);
    expect(deadline.expired).toBe(true);
    expect(called).toBe(false);
  });

  it('dispose() stops the timer: it never expires, and no timer is left', () => {
    const deadline = startDeadline(10);
    deadline.onExpire(() => {
      throw new Error('must not run');
    });
    deadline.dispose();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(deadline.expired).toBe(false);
  });
});
