import { exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { KEY_ALGORITHM, publicJwkOf } from '@samservice/platform/auth';
import { runCommand } from './cli';

/**
 * `npm run keys:internal`: a new key pair for the identity the gateway forwards to the
 * subgraphs in a deployment. Prints INTERNAL_SIGNING_KEY (gateway only, secret) and
 * INTERNAL_VERIFY_KEY (subgraphs) as environment lines.
 */
runCommand(async () => {
  const { privateKey } = await generateKeyPair(KEY_ALGORITHM, { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    kid: `internal-${randomUUID().slice(0, 8)}`,
    alg: KEY_ALGORITHM,
  };
  process.stdout.write(`INTERNAL_SIGNING_KEY='${JSON.stringify(jwk)}'\n`);
  process.stdout.write(`INTERNAL_VERIFY_KEY='${JSON.stringify(publicJwkOf(jwk))}'\n`);
});
