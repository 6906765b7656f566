import busboy from 'busboy';
import type express from 'express';

/** A file sent with a form (multipart/form-data), held in memory: forms take small files only. */
export interface Upload {
  filename: string;
  mimeType: string;
  data: Buffer;
  /** Longer than the limit: `data` holds only its beginning. */
  truncated: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Files sent with a multipart form, by field name (the other fields are in req.body). */
    uploads?: Record<string, Upload>;
  }
}

export interface MultipartLimits {
  /** Bytes per file; a longer one is cut short and marked truncated. */
  fileSize: number;
  files: number;
  fields: number;
  /**
   * Larger files for some requests (evidence documents): `fileSize` for those, each parsed only in one
   * of a few slots (`enter` gives its release, or a refusal when none is free for this request: 503),
   * so the memory they hold is bounded.
   */
  large?: { applies(req: express.Request): boolean; fileSize: number; enter(req: express.Request): (() => void) | 'BUSY' | 'OWN_BUSY' };
}

/**
 * Parses multipart/form-data (a form with a file input) into req.body and req.uploads, before the
 * CSRF check reads the form's token from req.body. Any other request passes untouched. A malformed
 * body is answered 400 before any route runs.
 */
export function multipartForms(limits: MultipartLimits): express.RequestHandler {
  return (req, res, next) => {
    if (!req.is('multipart/form-data') || req.method !== 'POST') return next();
    const large = limits.large?.applies(req) ? limits.large : undefined;
    if (large) {
      const release = large.enter(req);
      if (release === 'BUSY') return void res.status(503).set('Retry-After', '5').type('text/plain').send('Too many uploads are in progress; try again shortly.');
      if (release === 'OWN_BUSY') return void res.status(503).set('Retry-After', '5').type('text/plain').send('Your organisation already has uploads in progress; try again when one has finished.');
      res.once('close', release);
    }
    let parser: busboy.Busboy;
    try {
      const fileSize = large?.fileSize ?? limits.fileSize;
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize, files: limits.files, fields: limits.fields, fieldSize: 10_000, parts: limits.files + limits.fields } });
    } catch {
      return void res.status(400).type('text/plain').send('Malformed form.');
    }
    const body: Record<string, string> = {};
    const uploads: Record<string, Upload> = {};
    let failed = false;
    parser.on('field', (name, value) => {
      body[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      const upload: Upload = { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.alloc(0), truncated: false };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (upload.truncated = true));
      // Assembled on 'end': the parser's own 'close' waits for every file's end (not its later 'close').
      stream.on('end', () => {
        upload.data = Buffer.concat(chunks);
        uploads[name] = upload;
      });
    });
    parser.on('error', () => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      res.status(400).type('text/plain').send('Malformed form.');
    });
    parser.on('close', () => {
      if (failed) return;
      req.body = body;
      req.uploads = uploads;
      next();
    });
    req.pipe(parser);
  };
}
