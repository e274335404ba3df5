import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AgencyEntity } from './agency.entity';
import { DIRECTORY_DATA_SOURCE } from '../directory.database';

@Injectable()
export class AgenciesService {
  constructor(
    @InjectRepository(AgencyEntity, DIRECTORY_DATA_SOURCE)
    private readonly agencies: Repository<AgencyEntity>,
  ) {}

  listActive(): Promise<AgencyEntity[]> {
    return this.agencies.find({ where: { active: true }, order: { name: 'ASC' } });
  }

  findByIds(ids: readonly string[]): Promise<AgencyEntity[]> {
    return this.agencies.findBy({ id: In([...ids]) });
  }
}
