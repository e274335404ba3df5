import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NeedsRebooking1795509076042 implements MigrationInterface {
  name = 'NeedsRebooking1795509076042';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TYPE "scheduling"."appointment_status" ADD VALUE \'NEEDS_REBOOKING\'',
    );
  }

  async down(): Promise<void> {
    throw new Error(
      'NeedsRebooking1795509076042 is not reversible; restore from backup or write a new migration',
    );
  }
}
