import { ConfigError, loadConfig } from '../config.js';
import { signDevelopmentToken } from '../modules/identity/identity.service.js';
import { Role } from '../modules/identity/identity.viewer.js';

const usage = `usage: npm run token -- --role SUPPLIER --supplier <supplier id>
       npm run token -- --role BUYER --ods <ODS code, e.g. 02T>
       npm run token -- --role ASSURANCE
options: --sub <subject>  --email <address for notifications>  --expires <e.g. 8h, 30m>   (signs with JWT_SECRET, or the development secret)`;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    fail(error instanceof ConfigError ? error.message : String(error));
  }
  if (!config.identity.secret) fail('tokens can only be signed here with a shared secret (JWT_SECRET); with JWT_JWKS_URL your identity provider issues them');
  const role = option('role')?.toUpperCase();
  if (!role || !Object.values(Role).includes(role as Role)) fail('--role must be SUPPLIER, BUYER or ASSURANCE');
  const supplierId = option('supplier');
  const odsCode = option('ods')?.toUpperCase();
  if (role === Role.SUPPLIER && !supplierId) fail('a SUPPLIER token needs --supplier <supplier id>');
  if (role === Role.BUYER && !odsCode) fail('a BUYER token needs --ods <ODS code>');
  const token = await signDevelopmentToken(config.identity.secret, {
    role: role as Role,
    sub: option('sub'),
    supplierId,
    odsCode,
    email: option('email'),
    expiresIn: option('expires'),
  }, config.identity);
  process.stdout.write(token + '\n');
}

main().catch((error) => fail((error as Error).message));
