import { parseArgs } from 'node:util';
import { mintDevelopmentToken, ROLES, type Principal, type Role } from '@samservice/platform/auth';
import { runCommand } from './cli';

const USAGE = `usage: npm run token -- --role <citizen|staff|agency|admin> [options]
  citizen: --personnummer 197001011234 (12 digits)
  staff:   --office <officeId> (repeatable) [--admin-office <officeId>] [--competence FK] (repeatable)
  agency:  --agency <code> [--client <clientId>]
  any:     --sub <subject> --ttl <seconds>
Prints a bearer token signed by the development key in DATA_DIR (never accepted in production).`;

/** `npm run token`: mints a development bearer token for calling the API with curl. */
runCommand(async (config, args) => {
  if (config.isProduction) {
    process.stderr.write('Development tokens are not available in production.\n');
    return 1;
  }
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
      personnummer: { type: 'string' },
      office: { type: 'string', multiple: true },
      'admin-office': { type: 'string', multiple: true },
      competence: { type: 'string', multiple: true },
      agency: { type: 'string' },
      client: { type: 'string' },
    },
  });
  const role = values.role as Role | undefined;
  if (!role || !ROLES.includes(role)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const subject = values.sub ?? `dev-${role}`;
  let principal: Exclude<Principal, { role: 'anonymous' }>;
  switch (role) {
    case 'citizen': {
      const personnummer = (values.personnummer ?? '').replace(/[-+]/g, '');
      if (!/^\d{12}$/.test(personnummer)) {
        process.stderr.write(
          '--personnummer: 12 digits (YYYYMMDDNNNN) are required for a citizen\n',
        );
        return 2;
      }
      principal = { role, subject, personnummer };
      break;
    }
    case 'staff':
      if (!values.office?.length) {
        process.stderr.write('--office: at least one office id is required for staff\n');
        return 2;
      }
      principal = {
        role,
        subject,
        offices: values.office,
        adminOffices: values['admin-office'] ?? [],
        competences: values.competence ?? [],
      };
      break;
    case 'agency':
      if (!values.agency) {
        process.stderr.write('--agency: the agency code is required for an agency client\n');
        return 2;
      }
      principal = {
        role,
        subject,
        agency: values.agency,
        clientId: values.client ?? `${values.agency.toLowerCase()}-integration`,
      };
      break;
    case 'admin':
      principal = { role, subject };
      break;
  }
  const ttlSeconds = values.ttl ? Number.parseInt(values.ttl, 10) : undefined;
  const token = await mintDevelopmentToken({
    dataDir: config.dataDir,
    audience: config.auth.audience,
    principal,
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
  return 0;
});
