import express from 'express';
import { Role, type Viewer } from '../../modules/identity/identity.viewer.js';
import { UUID } from '../../common/ids.js';
import { SignInOrganisationDocument, SignInOrganisationsDocument, SignInSupplierDocument, SignInSuppliersDocument } from '../generated/graphql.js';
import type { WebContext } from '../web.js';
import { OidcSignIn, SignInError } from './oidc.js';
import { safeReturnTo, type Sessions, type SignedInViewer } from './session.js';
import type { OidcConfig } from '../../config.js';

export interface SignInOptions {
  sessions: Sessions;
  production: boolean;
  oidc?: OidcConfig;
  /** The development sign-in (decided by webRouter: never with OIDC, never in production). */
  devSignIn: boolean;
}

const ROLE_ITEMS = [
  { value: Role.BUYER, text: 'Buyer', hint: { text: 'An ICB, sub-ICB location or GP practice: specifications, matches and shortlists' } },
  { value: Role.SUPPLIER, text: 'Supplier', hint: { text: 'Keeps its own assurance evidence' } },
  { value: Role.ASSURANCE, text: 'Assurance team', hint: { text: 'Verifies submitted evidence' } },
];

const ORGANISATION_ROLES = new Set(['ICB', 'SUB_ICB_LOCATION', 'GP_PRACTICE']);

/**
 * Sign-in and sign-out. With OIDC configured `/sign-in` goes to the identity provider; otherwise,
 * outside production only, a development sign-in lets you pick a role and its organisation or
 * supplier (no password: it exists to try the service). In production without OIDC there is no sign-in.
 */
export function signInRoutes(web: WebContext, opts: SignInOptions): express.Router {
  const router = express.Router();
  const { sessions } = opts;
  const oidc = opts.oidc ? new OidcSignIn(opts.oidc) : undefined;
  const development = !oidc && opts.devSignIn;

  // Ends this service's session; with OIDC, then the provider's too (else its single sign-on would sign
  // the next person at this computer straight back in).
  router.post('/sign-out', async (req, res) => {
    const idToken = req.session.idToken;
    await sessions.signOut(req, res);
    const providerSignOut = oidc && idToken ? await oidc.endSessionUrl(idToken) : undefined;
    res.redirect(303, providerSignOut ?? '/');
  });

  if (oidc) {
    router.get('/sign-in', async (req, res) => {
      const request = await oidc.start();
      req.session.oidc = { state: request.state, nonce: request.nonce, codeVerifier: request.codeVerifier, returnTo: safeReturnTo(req.query.returnTo) };
      await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
      res.redirect(303, request.url);
    });

    router.get('/sign-in/callback', async (req, res) => {
      const expected = req.session.oidc;
      // Used once: a replayed or second callback finds nothing to compare with.
      delete req.session.oidc;
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      try {
        if (!expected) throw new SignInError('No sign-in was in progress in this browser (or it was already used).');
        const { viewer, name, idToken, email } = await oidc.finish(query, expected);
        await sessions.signIn(req, viewer, accountName(viewer, name), idToken, { email, name });
        res.redirect(303, expected.returnTo);
      } catch (error) {
        if (!(error instanceof SignInError)) throw error;
        res.status(403).render('session/sign-in-failed.njk', { reason: error.message });
      }
    });
  }

  if (!development) {
    // Production without an identity provider: say so, rather than a dead-end 404 after "sign in".
    if (!oidc) router.get('/sign-in', (_req, res) => res.status(503).render('session/no-sign-in.njk'));
    return router;
  }

  const renderRole = (req: express.Request, res: express.Response, extra: Record<string, unknown> = {}) =>
    res.render('session/sign-in.njk', { csrfToken: sessions.csrfToken(req), roleItems: ROLE_ITEMS, returnTo: safeReturnTo(req.query.returnTo ?? req.body?.returnTo), ...extra });

  router.get('/sign-in', (req, res) => renderRole(req, res));

  router.post('/sign-in', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const role = typeof body.role === 'string' && (Object.values(Role) as string[]).includes(body.role) ? (body.role as Role) : undefined;
    const returnTo = safeReturnTo(body.returnTo);
    if (!role) {
      const message = 'Select the role to sign in as';
      return void res.status(400).render('session/sign-in.njk', {
        csrfToken: sessions.csrfToken(req), roleItems: ROLE_ITEMS, returnTo,
        errorList: [{ text: message, href: '#role' }], errors: { role: message },
      });
    }
    if (role === Role.ASSURANCE) {
      await sessions.signIn(req, { kind: 'assurance', role, sub: 'dev-assurance' }, 'Assurance team', undefined, { email: developmentEmail('dev-assurance') });
      return void res.redirect(303, returnTo);
    }
    res.redirect(303, `/sign-in/organisation?${new URLSearchParams({ role, returnTo })}`);
  });

  const renderTenant = async (req: express.Request, res: express.Response, role: Role, returnTo: string, extra: Record<string, unknown> = {}) => {
    let items: { value: string; text: string }[];
    if (role === Role.BUYER) {
      const data = await web.operations.run(req.viewer, SignInOrganisationsDocument, {});
      const group = (connection: typeof data.icbs, kind: string) => connection.edges.map(({ node }) => ({ value: node.odsCode, text: `${node.name} (${node.odsCode}) – ${kind}` }));
      items = [...group(data.icbs, 'ICB'), ...group(data.subIcbLocations, 'sub-ICB location'), ...group(data.practices, 'GP practice')];
    } else {
      const data = await web.operations.run(req.viewer, SignInSuppliersDocument, {});
      items = data.suppliers.edges.map(({ node }) => ({ value: node.id, text: node.name }));
    }
    res.render('session/choose-tenant.njk', {
      csrfToken: sessions.csrfToken(req),
      role,
      returnTo,
      label: role === Role.BUYER ? 'Organisation' : 'Supplier',
      items: [{ value: '', text: role === Role.BUYER ? 'Choose an organisation' : 'Choose a supplier' }, ...items],
      ...extra,
    });
  };

  router.get('/sign-in/organisation', async (req, res) => {
    const role = req.query.role;
    if (role !== Role.BUYER && role !== Role.SUPPLIER) return void res.redirect(303, '/sign-in');
    await renderTenant(req, res, role, safeReturnTo(req.query.returnTo));
  });

  router.post('/sign-in/organisation', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const role = body.role;
    if (role !== Role.BUYER && role !== Role.SUPPLIER) return void res.redirect(303, '/sign-in');
    const returnTo = safeReturnTo(body.returnTo);
    const chosen = typeof body.tenant === 'string' ? body.tenant.trim() : '';
    let viewer: SignedInViewer | undefined;
    let name = '';
    if (role === Role.BUYER && /^[A-Za-z0-9]{3,6}$/.test(chosen)) {
      const { organisation } = await web.operations.run(req.viewer, SignInOrganisationDocument, { odsCode: chosen.toUpperCase() });
      if (organisation && ORGANISATION_ROLES.has(organisation.role)) {
        viewer = { kind: 'buyer', role, sub: `dev-buyer-${organisation.odsCode.toLowerCase()}`, odsCode: organisation.odsCode };
        name = `${organisation.name} (${organisation.odsCode})`;
      }
    } else if (role === Role.SUPPLIER && UUID.test(chosen)) {
      const { supplier } = await web.operations.run(req.viewer, SignInSupplierDocument, { id: chosen });
      if (supplier) {
        viewer = { kind: 'supplier', role, sub: `dev-supplier-${supplier.id}`, supplierId: supplier.id };
        name = supplier.name;
      }
    }
    if (!viewer) {
      const message = role === Role.BUYER ? 'Select the organisation to sign in for' : 'Select the supplier to sign in for';
      return void (await renderTenant(req, res.status(400), role, returnTo, { errorList: [{ text: message, href: '#tenant' }], errors: { tenant: message } }));
    }
    await sessions.signIn(req, viewer, name, undefined, { email: developmentEmail(viewer.sub) });
    res.redirect(303, returnTo);
  });

  return router;
}

/** The development sign-in has no real person: a synthetic address (the .invalid domain never resolves) lets email be tried with a local SMTP catcher. */
const developmentEmail = (sub: string) => `${sub}@dev-sign-in.invalid`;

function accountName(viewer: Viewer, name: string | undefined): string {
  const who = name ? `${name}, ` : '';
  switch (viewer.kind) {
    case 'buyer':
      return `${who}${viewer.odsCode}`;
    case 'supplier':
      return name ?? 'Supplier';
    case 'assurance':
      return name ? `${name}, assurance team` : 'Assurance team';
    default:
      return '';
  }
}
