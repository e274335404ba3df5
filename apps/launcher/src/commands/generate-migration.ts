import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createScratchDatabase, pendingSchemaChanges } from '@samservice/platform/database';
import { SERVICE_DATABASES, migrateAll } from '@samservice/stack/database';
import { runCommand } from './cli';

/**
 * `npm run db:generate -- <service> <Name>`: writes a migration with the SQL that makes
 * the schema match the entities, into libs/<service>/src/migrations. Review it, register
 * it in the service's database definition, commit it.
 */
runCommand(async (config, args) => {
  const [service, name] = args;
  const definition = SERVICE_DATABASES.find((d) => d.service === service);
  if (!definition || !name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    process.stderr.write(
      `usage: npm run db:generate -- <${SERVICE_DATABASES.map((d) => d.service).join('|')}> <PascalCaseName>\n`,
    );
    return 2;
  }
  const scratch = await createScratchDatabase(config.databaseUrl);
  try {
    await migrateAll(scratch.url);
    const up = await pendingSchemaChanges(definition, scratch.url);
    if (up.length === 0) {
      process.stdout.write(`${service}: nothing to generate, migrations match the entities\n`);
      return 0;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n')}
  }

  async down(): Promise<void> {
    throw new Error('${className} is not reversible; restore from backup or write a new migration');
  }
}
`;
    const file = path.join(
      'libs',
      service as string,
      'src',
      'migrations',
      `${timestamp}-${name}.ts`,
    );
    await fs.writeFile(file, body);
    process.stdout.write(`wrote ${file}; add ${className} to the ${service} database definition\n`);
    return 0;
  } finally {
    await scratch.drop();
  }
});
