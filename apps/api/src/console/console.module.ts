import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';

/** The officers' console (apps/console) served at /console; it talks to the API only through /v1. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
