import { runServer } from '@samservice/platform/http';
import { citizenLoginUrls, staffLoginUrls } from '@samservice/platform/auth';
import { startTestEid } from './test-eid';

/**
 * The local test e-ID (development and tests only): an OpenID Provider with test citizens,
 * for the gateway's citizen sign-in. `npm start` runs it in development (TEST_EID).
 */
runServer({
  name: 'test-eid',
  start(config) {
    if (config.isProduction) throw new Error('the test e-ID never runs in production');
    if (!config.eid.clientSecret || !config.publicUrl) {
      throw new Error('the test e-ID needs EID_CLIENT_SECRET and PUBLIC_URL (the gateway)');
    }
    const urls = citizenLoginUrls(config.publicUrl);
    const staff = staffLoginUrls(config.publicUrl);
    const { clientSecret: staffSecret, resource } = config.staffSignIn;
    return startTestEid({
      host: config.host,
      port: config.testEidPort,
      clientId: config.eid.clientId,
      clientSecret: config.eid.clientSecret,
      redirectUris: [urls.callback],
      postLogoutRedirectUris: [urls.loggedOut],
      // Also the staff's identity provider, when the gateway signs staff in against it.
      ...(staffSecret && resource
        ? {
            staff: {
              clientId: config.staffSignIn.clientId,
              clientSecret: staffSecret,
              redirectUris: [staff.callback],
              postLogoutRedirectUris: [staff.loggedOut],
              resource,
              audience: config.auth.audience,
            },
          }
        : {}),
    });
  },
});
