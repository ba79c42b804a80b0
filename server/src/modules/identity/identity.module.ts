import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AdminService } from './admin.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { ConsoleSessionController } from './console-session.controller.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';
import { LoginThrottle } from './login-throttle.js';
import { MembershipsRepository } from './memberships.repository.js';
import { Passwords } from './passwords.js';
import { SessionsRepository } from './sessions.repository.js';
import { ThrottleRepository } from './throttle.repository.js';
import { SigningKeysController } from './signing-keys.controller.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [OrganisationsModule],
  controllers: [AuthController, ConsoleSessionController, UsersController, InvitationsController, SigningKeysController],
  providers: [
    AdminService,
    AuthService,
    UsersService,
    InvitationsService,
    LoginThrottle,
    Passwords,
    UsersRepository,
    MembershipsRepository,
    SessionsRepository,
    InvitationsRepository,
    ThrottleRepository,
  ],
  exports: [AdminService, AuthService, UsersService],
})
export class IdentityModule {}
