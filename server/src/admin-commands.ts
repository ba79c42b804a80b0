import type { INestApplicationContext } from '@nestjs/common';
import { isRole } from './platform/access/permissions.js';
import { KeyStore } from './platform/auth/key-store.js';
import { Transactor } from './platform/database/transactor.js';
import { AppError } from './platform/errors/app-error.js';
import { systemContext } from './platform/context/request-context.js';
import { AuditCheckpoints } from './modules/audit/audit.checkpoints.js';
import { AuditService } from './modules/audit/audit.service.js';
import { ChannelsReseal } from './modules/channels/channels-reseal.service.js';
import { WebhooksReseal } from './modules/webhooks/webhooks-reseal.service.js';
import { AdminService } from './modules/identity/admin.service.js';
import { SignInPolicyService } from './modules/identity/sign-in-policy.service.js';
import { IdentityReseal } from './modules/identity/identity-reseal.service.js';
import { OrganisationsService } from './modules/organisations/organisations.service.js';

export type CliValues = Partial<Record<'email' | 'password' | 'org' | 'role' | 'name' | 'checkpoint', string>>;

class UsageError extends Error {}

function required(values: CliValues, ...names: (keyof CliValues)[]): void {
  const missing = names.filter((n) => !values[n]);
  if (missing.length) throw new UsageError(`missing ${missing.map((n) => `--${n}`).join(', ')}`);
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/**
 * The CLI's admin tasks: thin wrappers over the same services the API uses, so the same rules
 * (password policy, audit) apply. Returns the process exit code.
 */
export async function runAdminCommand(app: INestApplicationContext, command: string, values: CliValues): Promise<number> {
  const admin = app.get(AdminService);
  try {
    switch (command) {
      case 'create-user': {
        required(values, 'email', 'password', 'org');
        const role = values.role ?? 'viewer';
        if (!isRole(role)) throw new UsageError('--role must be one of owner, admin, approver, editor, analyst, viewer');
        print(await admin.createUser(values.org!, { email: values.email!, password: values.password!, role, displayName: values.name }));
        return 0;
      }
      case 'reset-password':
        required(values, 'email', 'password');
        print(await admin.resetPassword(values.email!, values.password!));
        return 0;
      case 'reset-mfa':
        required(values, 'email');
        print(await admin.resetFactors(values.email!));
        return 0;
      case 'clear-sso-requirement': {
        // Break-glass (decision 0033): an SSO rule whose provider no longer lets anyone in is
        // lifted by the operator, who holds the server, not by an account the rule locks out.
        required(values, 'org');
        const ctx = systemContext('cli', values.org);
        const cleared = await app.get(Transactor).inTenant({ orgId: values.org! }, () => app.get(SignInPolicyService).clearSsoRequirement(ctx));
        print({ organisationId: values.org, cleared });
        return 0;
      }
      case 'verify-audit': {
        const tx = app.get(Transactor);
        // Events committed but not chained yet (no server running, or it crashed) are chained
        // first; those of transactions still running are checked as pending.
        await app.get(AuditService).chainCommitted();
        if (values.checkpoint) {
          required(values, 'org');
          await app.get(KeyStore).start();
          const check = await tx.inTenant({ orgId: values.org! }, () => app.get(AuditCheckpoints).check(values.org!, values.checkpoint!));
          print({ organisationId: values.org, ...check });
          return check.matches && check.signature === 'valid' ? 0 : 1;
        }
        const orgIds = values.org
          ? [values.org]
          : await tx.withTenantBypass('operator command', () => app.get(OrganisationsService).allIds());
        let ok = true;
        for (const orgId of orgIds) {
          const report = await tx.inTenant({ orgId }, () => app.get(AuditService).verify(orgId));
          ok &&= report.valid;
          print({ organisationId: orgId, ...report });
        }
        return ok ? 0 : 1;
      }
      case 'audit-checkpoint': {
        required(values, 'org');
        await app.get(AuditService).chainCommitted();
        await app.get(KeyStore).start();
        const signed = await app.get(Transactor).inTenant({ orgId: values.org! }, () => app.get(AuditCheckpoints).sign(values.org!));
        print(signed);
        return 0;
      }
      case 'rotate-keys': {
        const keys = app.get(KeyStore);
        await keys.start();
        print({ currentKeyId: await keys.rotate() });
        return 0;
      }
      case 'reseal-secrets': {
        // After GUDDU_SECRET_KEY changed (the old one in GUDDU_PREVIOUS_SECRET_KEY): everything
        // sealed moves to the new key, so the previous one can be dropped.
        const signingKeys = await app.get(KeyStore).resealAll();
        print({ signingKeys, ...(await app.get(IdentityReseal).resealAll()), ...(await app.get(ChannelsReseal).resealAll()), ...(await app.get(WebhooksReseal).resealAll()) });
        return 0;
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof AppError) {
      process.stderr.write(`guddu ${command}: ${err.message}${err instanceof AppError ? ` (${err.code})` : ''}\n`);
      return 2;
    }
    throw err;
  }
}
