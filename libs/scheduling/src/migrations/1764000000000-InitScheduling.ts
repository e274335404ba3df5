import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitScheduling1764000000000 implements MigrationInterface {
  name = 'InitScheduling1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Exclusion constraints over (counter, time range) need btree_gist's = operator on uuid.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public`);
  }

  async down(): Promise<void> {
    // The extension is shared by every service's schema; it stays.
  }
}
