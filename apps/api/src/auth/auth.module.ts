import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../../../libs/config/src';
import { PersistenceModule } from '../../../../libs/persistence/src';
import { AuthenticationGuard, AuthorizationGuard, RateLimitGuard } from './guards';
import { PersonalDataInterceptor } from './personal-data';
import { TokenVerifier } from './token-verifier';

/**
 * Access control for every route: authentication, rate limits, authorisation (in this order,
 * as global guards), and masking of personal data in answers.
 */
@Module({
  imports: [
    PersistenceModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const { windowMs, perUser, perIp } = config.security.rateLimit;
        return {
          throttlers: [
            { name: 'user', ttl: windowMs, limit: perUser, skipIf: (ctx) => !ctx.switchToHttp().getRequest().principal },
            { name: 'ip', ttl: windowMs, limit: perIp, skipIf: (ctx) => Boolean(ctx.switchToHttp().getRequest().principal) },
          ],
        };
      },
    }),
  ],
  providers: [
    TokenVerifier,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthorizationGuard },
    { provide: APP_INTERCEPTOR, useClass: PersonalDataInterceptor },
  ],
  exports: [TokenVerifier],
})
export class AuthModule {}
