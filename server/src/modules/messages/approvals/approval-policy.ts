import { z } from 'zod';
import { ROLES } from '../../../platform/access/permissions.js';
import { LanguageTag } from '../message-content.js';

const Stage = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    approvers: z.strictObject({
      roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]).describe('Anyone holding one of these roles on the message organisation (or above)'),
      users: z.array(z.uuid()).max(50).default([]).describe('These users, by id'),
    }),
    rule: z.enum(['any', 'all', 'n_of_m']).describe('any one approver, all of them, or n of them'),
    n: z.number().int().min(1).max(50).optional(),
    perLanguage: z
      .union([z.literal('each'), z.array(LanguageTag).min(1).max(40)])
      .optional()
      .describe('A translation stage: each language of the message (or the listed ones) needs its own sign-off'),
    slaHours: z.number().positive().max(24 * 30).optional().describe('After this long incomplete, the stage is escalated'),
  })
  .refine((s) => s.approvers.roles.length + s.approvers.users.length > 0, 'a stage needs approvers (roles or users)')
  .refine((s) => (s.rule === 'n_of_m') === (s.n !== undefined), 'n is given exactly when the rule is n_of_m');

export const ApprovalPolicyInput = z.strictObject({
  stages: z.array(Stage).max(10).describe('In order; empty means a submitted message is approved at once'),
  allowSelfApproval: z.boolean().default(false).describe('Whether anyone who wrote the message may approve it'),
  lateApproval: z
    .discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('publish_now') }),
      z.strictObject({ mode: z.literal('hold') }),
      z.strictObject({ mode: z.literal('expire'), afterDays: z.number().int().min(1).max(365) }),
    ])
    .default({ mode: 'hold' })
    .describe('When approval completes after the scheduled time: publish at once, hold for a new time, or hold and expire once the time is this many days past'),
});
export type ApprovalPolicy = z.output<typeof ApprovalPolicyInput>;
export type ApprovalStage = ApprovalPolicy['stages'][number];

/** What an organisation gets until it or an ancestor sets its own: one approver, not the author. */
export const DEFAULT_POLICY: ApprovalPolicy = {
  stages: [{ name: 'Approval', approvers: { roles: ['approver', 'admin', 'owner'], users: [] }, rule: 'any' }],
  allowSelfApproval: false,
  lateApproval: { mode: 'hold' },
};

export interface CountedApproval {
  stage: number;
  language: string | null;
  approverId: string;
}

export interface StageProgress {
  index: number;
  name: string;
  /** null for a whole-message stage; else one entry per language the stage covers. */
  parts: { language: string | null; approvedBy: string[]; required: number; done: boolean }[];
  done: boolean;
  /** No set of eligible people can complete it (e.g. "all" of nobody). */
  unsatisfiable: boolean;
}

export interface ApprovalProgress {
  complete: boolean;
  /** The first stage not yet done: the one approvers act on now. */
  currentStage: number | null;
  stages: StageProgress[];
}

/** The languages a stage needs sign-offs for; [null] for a whole-message stage. */
export function stageLanguages(stage: ApprovalStage, messageLanguages: readonly string[]): (string | null)[] {
  if (!stage.perLanguage) return [null];
  if (stage.perLanguage === 'each') return [...messageLanguages];
  return stage.perLanguage.filter((l) => messageLanguages.includes(l));
}

/**
 * Where a message stands against its policy, from the approvals that count (this round, this
 * content hash, by eligible people). `eligible(stage)` is how many people may sign that stage,
 * authors excluded when self-approval is off: "all" needs every one of them.
 */
export function evaluate(policy: ApprovalPolicy, messageLanguages: readonly string[], approvals: readonly CountedApproval[], eligible: (stage: number) => number): ApprovalProgress {
  const stages = policy.stages.map((stage, index): StageProgress => {
    const m = eligible(index);
    const required = stage.rule === 'any' ? 1 : stage.rule === 'all' ? m : (stage.n ?? 1);
    const parts = stageLanguages(stage, messageLanguages).map((language) => {
      const approvedBy = [...new Set(approvals.filter((a) => a.stage === index && a.language === language).map((a) => a.approverId))];
      return { language, approvedBy, required, done: required > 0 && approvedBy.length >= required };
    });
    const unsatisfiable = required === 0 || required > m;
    return { index, name: stage.name, parts, done: parts.every((p) => p.done), unsatisfiable };
  });
  const current = stages.find((s) => !s.done);
  return { complete: current === undefined, currentStage: current?.index ?? null, stages };
}
