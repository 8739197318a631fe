import { Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { catchError, throwError, type Observable } from 'rxjs';
import { AppConfig } from '../../../../libs/config/src';
import { DomainError } from '../../../../libs/domain/src';

/** Multer's "File too large" becomes a 413 that says what the limit is. Wraps FileInterceptor. */
@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof PayloadTooLargeException)) return throwError(() => error);
        const limitBytes = this.config.maxUploadBytes;
        const mib = Math.round((limitBytes / 1024 / 1024) * 10) / 10;
        return throwError(
          () => new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than the upload limit of ${mib} MiB`, { limitBytes }),
        );
      }),
    );
  }
}
