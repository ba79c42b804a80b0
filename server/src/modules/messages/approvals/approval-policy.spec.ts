import { describe, expect, it } from 'vitest';
import { ApprovalPolicyInput, evaluate, stageLanguages, type ApprovalPolicy, type CountedApproval } from './approval-policy.js';

const policy = (stages: unknown[], extra: Record<string, unknown> = {}): ApprovalPolicy => ApprovalPolicyInput.parse({ stages, ...extra });
const stage = (rule: string, more: Record<string, unknown> = {}) => ({ name: rule, approvers: { roles: ['approver'] }, rule, ...more });
const a = (stage: number, approverId: string, language: string | null = null): CountedApproval => ({ stage, approverId, language });

describe('approval policy', () => {
  it('any: one sign-off completes the stage', () => {
    const p = policy([stage('any')]);
    expect(evaluate(p, ['en'], [], () => 3)).toMatchObject({ complete: false, currentStage: 0 });
    expect(evaluate(p, ['en'], [a(0, 'u1')], () => 3)).toMatchObject({ complete: true, currentStage: null });
  });

  it('all: every eligible person, counted once each', () => {
    const p = policy([stage('all')]);
    expect(evaluate(p, ['en'], [a(0, 'u1'), a(0, 'u1'), a(0, 'u2')], () => 3).complete).toBe(false);
    expect(evaluate(p, ['en'], [a(0, 'u1'), a(0, 'u2'), a(0, 'u3')], () => 3).complete).toBe(true);
  });

  it('all of nobody is unsatisfiable, not complete', () => {
    const r = evaluate(policy([stage('all')]), ['en'], [], () => 0);
    expect(r.complete).toBe(false);
    expect(r.stages[0]!.unsatisfiable).toBe(true);
  });

  it('n of m: n distinct sign-offs; more than m eligible people is unsatisfiable', () => {
    const p = policy([stage('n_of_m', { n: 2 })]);
    expect(evaluate(p, ['en'], [a(0, 'u1')], () => 3).complete).toBe(false);
    expect(evaluate(p, ['en'], [a(0, 'u1'), a(0, 'u2')], () => 3).complete).toBe(true);
    expect(evaluate(p, ['en'], [], () => 1).stages[0]!.unsatisfiable).toBe(true);
  });

  it('stages run in order: the first incomplete one is current, later sign-offs do not skip it', () => {
    const p = policy([stage('any'), stage('any')]);
    expect(evaluate(p, ['en'], [a(1, 'u2')], () => 2).currentStage).toBe(0);
    expect(evaluate(p, ['en'], [a(0, 'u1')], () => 2).currentStage).toBe(1);
  });

  it('per-language stages need a sign-off for each language of the message (or the listed ones present)', () => {
    const each = policy([stage('any', { perLanguage: 'each' })]);
    expect(stageLanguages(each.stages[0]!, ['en', 'hi', 'ta'])).toEqual(['en', 'hi', 'ta']);
    expect(evaluate(each, ['en', 'hi'], [a(0, 'u1', 'en')], () => 2).complete).toBe(false);
    expect(evaluate(each, ['en', 'hi'], [a(0, 'u1', 'en'), a(0, 'u1', 'hi')], () => 2).complete).toBe(true);
    const listed = policy([stage('any', { perLanguage: ['HI', 'ur'] })]);
    expect(stageLanguages(listed.stages[0]!, ['en', 'hi'])).toEqual(['hi']);
    // A translation stage for languages the message does not have has nothing to sign.
    expect(evaluate(listed, ['en'], [], () => 1).complete).toBe(true);
  });

  it('refuses malformed policies', () => {
    const bad = [
      { stages: [{ name: 'x', approvers: { roles: [], users: [] }, rule: 'any' }] },
      { stages: [{ name: 'x', approvers: { roles: ['approver'] }, rule: 'n_of_m' }] },
      { stages: [{ name: 'x', approvers: { roles: ['approver'] }, rule: 'any', n: 2 }] },
      { stages: [{ name: 'x', approvers: { roles: ['pope'] }, rule: 'any' }] },
      { stages: [], lateApproval: { mode: 'expire' } },
      { stages: [{ name: 'x', approvers: { roles: ['approver'] }, rule: 'any', perLanguage: ['not a tag!'] }] },
    ];
    for (const p of bad) expect(ApprovalPolicyInput.safeParse(p).success, JSON.stringify(p)).toBe(false);
  });
});
