import { Module } from '@nestjs/common';
import { DatabaseHealth } from '../../platform/database/database-health.js';
import { HealthController } from './health.controller.js';

@Module({ controllers: [HealthController], providers: [DatabaseHealth] })
export class HealthModule {}
