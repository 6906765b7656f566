import { pino } from 'pino';
/** What the service logs through: pino in production, a silent or capturing one in tests. */
export interface Logger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** The service's logger: pino, JSON lines on stdout (LOG_LEVEL sets the level). */
export function createPinoLogger(): Logger {
  return pino({
    level: process.env.LOG_LEVEL || 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
