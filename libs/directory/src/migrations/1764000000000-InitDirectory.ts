import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitDirectory1764000000000 implements MigrationInterface {
  name = 'InitDirectory1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public`);
  }

  async down(): Promise<void> {
    // The extension is shared by every service's schema; it stays.
  }
}
