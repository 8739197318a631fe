import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { AppConfig } from '../../../../libs/config/src';
import { Public } from '../auth';
import { consoleContentSecurityPolicy } from '../auth/http-hardening';

/** `dist/console` of the checkout or image: `npm run build` writes the console there (apps/console). */
export function consoleDirectory(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'console');
  }
  return join(process.cwd(), 'dist', 'console');
}

/** What the page needs to know before anyone signs in (no secrets: the OIDC client is public). */
export interface ConsoleSettings {
  oidc: { authority: string; clientId: string; scope: string } | null;
  tokenSignIn: boolean;
  /** The recipient of reminders for unassigned cases (ICP_OFFICERS_QUEUE): officers may read it. */
  officersQueue: string;
}

/**
 * The officers' console (apps/console, built into dist/console) at /console, same origin as the
 * API it calls: the bundled assets (hashed names, cached for a year), index.html for every other
 * path below /console (the page routes itself), and the sign-in settings at /console/config.json.
 * Public, as any web page is: everything it shows comes from /v1 with the signed-in user's token.
 * Outside the OpenAPI document (not part of the API's contract).
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly root = consoleDirectory();
  private readonly csp: string;

  constructor(private readonly config: AppConfig) {
    this.csp = consoleContentSecurityPolicy(config);
  }

  @Get('config.json')
  @Public()
  settings(@Res({ passthrough: true }) res: Response): ConsoleSettings {
    res.setHeader('Cache-Control', 'no-store');
    return { oidc: this.config.console.oidc, tokenSignIn: this.config.console.tokenSignIn, officersQueue: this.config.reminders.officersQueue };
  }

  @Get()
  @Public()
  index(@Req() req: Request, @Res() res: Response): void {
    this.send(req, res, 'index.html');
  }

  @Get('*path')
  @Public()
  asset(@Req() req: Request, @Res() res: Response): void {
    const relative = decodeURIComponent(req.path.replace(/^\/console\/?/, ''));
    // A file that exists is served as it is; any other path is a route of the page (index.html),
    // except a missing asset (a name with an extension), which is a plain 404.
    if (relative === '' || (!extname(relative) && !relative.startsWith('assets/'))) return this.send(req, res, 'index.html');
    this.send(req, res, relative);
  }

  private send(req: Request, res: Response, file: string): void {
    // No way out of dist/console, no dot files, and no source maps (the console's source is not published).
    if (file.split('/').some((segment) => segment === '..' || segment.startsWith('.')) || file.endsWith('.map')) {
      throw new NotFoundException(`Cannot GET ${req.path}`);
    }
    if (!existsSync(join(this.root, 'index.html'))) {
      throw new NotFoundException(`Cannot GET ${req.path}: the console is not built (npm run build writes it to dist/console)`);
    }
    res.setHeader('Content-Security-Policy', this.csp);
    const html = file.endsWith('.html');
    res.setHeader('Cache-Control', html ? 'no-cache' : 'public, max-age=31536000, immutable');
    res.sendFile(file, { root: this.root, dotfiles: 'deny', cacheControl: false, lastModified: !html }, (error?: Error & { status?: number }) => {
      if (!error || res.headersSent) return;
      res.removeHeader('Cache-Control');
      res.status(404).json({ code: 'ROUTE_NOT_FOUND', message: `No route GET ${req.path}`, details: null });
    });
  }
}
