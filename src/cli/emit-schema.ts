import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config.js';
import { printSdl } from '../graphql/schema.js';

const target = path.join(projectRoot, 'schema/schema.graphql');
fs.writeFileSync(target, await printSdl());
process.stdout.write(`wrote ${path.relative(projectRoot, target)}\n`);
