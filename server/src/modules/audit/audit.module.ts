import { Global, Module } from '@nestjs/common';
import { AuditCheckpoints } from './audit.checkpoints.js';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditSequencer } from './audit.sequencer.js';
import { AuditService } from './audit.service.js';

/** Global: every module records its mutations here, inside its own transaction. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditCheckpoints, AuditSequencer],
  exports: [AuditService, AuditCheckpoints],
})
export class AuditModule {}
