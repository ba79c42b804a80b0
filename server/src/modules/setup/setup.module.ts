import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SetupController } from './setup.controller.js';
import { SetupRepository } from './setup.repository.js';
import { SetupService } from './setup.service.js';

@Module({
  imports: [IdentityModule, OrganisationsModule],
  controllers: [SetupController],
  providers: [SetupRepository, SetupService],
  exports: [SetupService],
})
export class SetupModule {}
