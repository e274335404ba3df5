import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgenciesResolver } from './agencies.resolver';
import { AgenciesService } from './agencies.service';
import { AgencyEntity } from './agency.entity';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';

@Module({
  imports: [TypeOrmModule.forFeature([AgencyEntity], DIRECTORY_DATA_SOURCE)],
  providers: [AgenciesService, AgenciesResolver],
  exports: [AgenciesService],
})
export class AgenciesModule {}
