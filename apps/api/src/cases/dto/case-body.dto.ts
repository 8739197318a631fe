import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsIP,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ACCELERATION_REGIONS,
  BILLINGS,
  CONTENT_CATEGORIES,
  FILING_TYPES,
  ID_TYPES,
  MAINLAND_PRESENCES,
  PRODUCTS,
  type AccelerationRegion,
  type Billing,
  type ContentCategory,
  type FilingType,
  type IdType,
  type MainlandPresence,
  type Product,
} from '../../../../../libs/domain/src';
import { IsDateOnly, PROVINCE_CODE } from './validators';

export class CertificateDto {
  @ApiProperty({ example: '330100400012345' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  number: string;

  @ApiProperty({ example: 'CN-ZJ', description: 'ISO 3166-2:CN province of the issuing authority' })
  @Matches(PROVINCE_CODE, { message: 'province must be an ISO 3166-2:CN code such as CN-ZJ' })
  province: string;

  @ApiProperty({ example: '2029-06-30', format: 'date' })
  @IsDateOnly()
  validUntil: string;
}

export class PersonDto {
  @ApiProperty({ example: 'Anna Berg' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  fullName: string;

  @ApiProperty({ enum: ID_TYPES })
  @IsIn(ID_TYPES)
  idType: IdType;

  @ApiProperty({ example: 'C01X00T47' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  idNumber: string;

  @ApiProperty({ example: '2031-01-31', format: 'date' })
  @IsDateOnly()
  idValidUntil: string;

  @ApiProperty({ example: '+8613800000000' })
  @Matches(/^\+?[0-9 -]{6,20}$/, { message: 'mobile must be a phone number' })
  mobile: string;

  @ApiProperty({ example: 'anna@contoso.example' })
  @IsEmail() @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ type: String, example: '1985-04-12', format: 'date', nullable: true, description: 'Checked for the age of 18 (a mainland resident ID number encodes it too)' })
  @IsOptional() @IsDateOnly()
  birthDate?: string | null;
}

export class PrincipalDto extends PersonDto {
  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description: "Whether the principal is the entity's legal representative (chief representative of an office); the province person rules read it",
  })
  @IsOptional() @IsBoolean()
  isLegalRepresentative?: boolean | null;
}

export class AdministratorDto extends PersonDto {
  @ApiProperty({ description: 'Kept for compatibility: whether the administrator is the principal is decided from the ID type and number' })
  @IsBoolean()
  isPrincipal: boolean;
}

export class ApplicantDto {
  @ApiProperty({ example: 'Contoso GmbH' })
  @IsString() @IsNotEmpty() @MaxLength(300)
  name: string;

  @ApiProperty({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @Matches(/^[A-Z]{2}$/, { message: 'countryOfRegistration must be an ISO 3166-1 alpha-2 code' })
  countryOfRegistration: string;

  @ApiProperty({ enum: MAINLAND_PRESENCES })
  @IsIn(MAINLAND_PRESENCES)
  mainlandPresence: MainlandPresence;

  @ApiPropertyOptional({ type: CertificateDto, nullable: true })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => CertificateDto)
  certificate?: CertificateDto | null;

  @ApiProperty({ type: PrincipalDto })
  @IsObject() @ValidateNested() @Type(() => PrincipalDto)
  principal: PrincipalDto;
}

export class WebsiteDto {
  @ApiProperty({ example: '康拓索产品目录' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  name: string;

  @ApiProperty({ type: [String], example: ['contoso.cn'], description: 'Exactly one domain per website entry' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(253, { each: true })
  domains: string[];

  @ApiProperty({ enum: CONTENT_CATEGORIES })
  @IsIn(CONTENT_CATEGORIES)
  contentCategory: ContentCategory;

  @ApiProperty({ example: '2028-03-01', format: 'date' })
  @IsDateOnly()
  domainExpiresAt: string;

  @ApiProperty({ type: AdministratorDto })
  @IsObject() @ValidateNested() @Type(() => AdministratorDto)
  administrator: AdministratorDto;
}

export class InstanceDto {
  @ApiProperty({ enum: PRODUCTS })
  @IsIn(PRODUCTS)
  product: Product;

  @ApiProperty({ example: 'i-bp1abc' })
  @IsString() @IsNotEmpty() @MaxLength(128)
  instanceId: string;

  @ApiProperty({ example: 'cn-hangzhou' })
  @Matches(/^[a-z]{2}(-[a-z0-9]+)+$/, { message: 'regionId must be a region id such as cn-hangzhou' })
  regionId: string;

  @ApiProperty({ enum: BILLINGS })
  @IsIn(BILLINGS)
  billing: Billing;

  @ApiProperty({ example: 12, description: 'Total months of subscription bought, renewals included' })
  @IsInt() @Min(0) @Max(1200)
  subscriptionMonths: number;

  @ApiPropertyOptional({
    example: '2027-11-30',
    type: String,
    format: 'date',
    nullable: true,
    description: 'When the subscription ends; required for SUBSCRIPTION, absent or null for PAY_AS_YOU_GO (which never expires)',
  })
  @ValidateIf((i: InstanceDto) => i.billing !== 'PAY_AS_YOU_GO' || (i.expiresAt !== undefined && i.expiresAt !== null))
  @IsDateOnly()
  expiresAt?: string | null;

  @ApiPropertyOptional({ type: String, example: '47.98.1.2', nullable: true, description: 'IPv4 or IPv6; null when the instance has none' })
  @IsOptional() @IsIP()
  publicIp?: string | null;

  @ApiProperty({ example: 1 })
  @IsInt() @Min(0) @Max(1000)
  serviceCodesUsed: number;

  @ApiPropertyOptional({ description: 'The instance that issues the service code (default: the only instance); other instances are context' })
  @IsOptional() @IsBoolean()
  usedForFiling?: boolean;
}

export class SlbDto {
  @ApiProperty({ example: '47.98.10.20' })
  @IsIP()
  publicIp: string;
}

const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i;

export class CdnDto {
  @ApiProperty({ enum: ACCELERATION_REGIONS })
  @IsIn(ACCELERATION_REGIONS)
  accelerationRegion: AccelerationRegion;

  @ApiProperty({ example: 'contoso.cn.w.cdngslb.com' })
  @IsString() @IsNotEmpty() @MaxLength(253)
  cname: string;

  @ApiPropertyOptional({
    example: 'static.contoso.cn',
    description:
      'The CDN domain whose Coverage and Cname these are: set from `hosting.cdnDomain` (or the accelerated website domain) when a ' +
      'case is opened from `instanceIds`, or typed in. Checks of the cloud account ask it and compare only its answer; keep it ' +
      'when amending the hosting',
  })
  @IsOptional() @IsString() @Matches(DOMAIN_NAME, { message: 'domain must be a domain name such as contoso.cn' })
  domain?: string;
}

/** An ECS instance id as the console shows it (`i-bp1abc…`); the account is asked what it is. */
const INSTANCE_ID = /^[a-z0-9][a-z0-9-]{1,127}$/i;

export class HostingDto {
  @ApiPropertyOptional({
    type: [InstanceDto],
    description: 'The instances with their facts typed in. Required unless `instanceIds` names them instead',
  })
  @ValidateIf((h: HostingDto) => h.instanceIds === undefined || h.instances !== undefined)
  @IsArray() @ArrayMaxSize(50) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => InstanceDto)
  instances?: InstanceDto[];

  @ApiPropertyOptional({
    type: [String],
    example: ['i-bp1abc'],
    description:
      'Instead of `instances`: ECS instance ids whose facts (region, billing, expiry, public IP, months bought from creation to expiry) ' +
      'are read from the cloud account by a workflow activity (`POST /v1/cases` and `POST /v1/precheck`). No account configured, ' +
      'or the account refuses: 422 RULE_VIOLATIONS CLOUD_FACTS_UNVERIFIED; an id the account does not have: INSTANCE_NOT_FOUND ' +
      '(422 for a new case, a finding for a precheck); the account not answering: 503',
  })
  @ValidateIf((h: HostingDto) => h.instanceIds !== undefined)
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique()
  @Matches(INSTANCE_ID, { each: true, message: 'instanceIds must hold instance ids such as i-bp1abc' })
  instanceIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['i-bp1abc'],
    description:
      'With `instanceIds`: the ids that issue the service code (marked `usedForFiling: true`; the others `false`, context such as a ' +
      'pay-as-you-go backend that then does not block the case). Absent: every instance is a filing instance. Each must be in `instanceIds`',
  })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique()
  @Matches(INSTANCE_ID, { each: true, message: 'filingInstanceIds must hold instance ids such as i-bp1abc' })
  filingInstanceIds?: string[];

  @ApiPropertyOptional({
    example: 'contoso.cn',
    description: 'With `instanceIds`: the CDN domain whose Coverage and Cname are read (default: the websites\' domains are looked up on the CDN)',
  })
  @IsOptional() @IsString() @Matches(DOMAIN_NAME, { message: 'cdnDomain must be a domain name such as contoso.cn' })
  cdnDomain?: string;

  @ApiPropertyOptional({ type: SlbDto, nullable: true })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SlbDto)
  slb?: SlbDto | null;

  @ApiPropertyOptional({ type: CdnDto, nullable: true })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => CdnDto)
  cdn?: CdnDto | null;
}

/** The facts of a case: the body of `POST /v1/cases` and `POST /v1/precheck`. */
export class CaseBodyDto {
  @ApiProperty({ enum: FILING_TYPES })
  @IsIn(FILING_TYPES)
  filingType: FilingType;

  @ApiProperty({ example: 'CN-ZJ' })
  @Matches(PROVINCE_CODE, { message: 'submissionProvince must be an ISO 3166-2:CN code such as CN-ZJ' })
  submissionProvince: string;

  @ApiProperty({ type: ApplicantDto })
  @IsObject() @ValidateNested() @Type(() => ApplicantDto)
  applicant: ApplicantDto;

  @ApiProperty({ type: [WebsiteDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => WebsiteDto)
  websites: WebsiteDto[];

  @ApiProperty({ type: HostingDto })
  @IsObject() @ValidateNested() @Type(() => HostingDto)
  hosting: HostingDto;
}

export class CreateCaseDto extends CaseBodyDto {
  @ApiPropertyOptional({ type: String, example: 'officer.zhang', description: 'The officer the case is assigned to', nullable: true })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200)
  assignee?: string | null;
}

/** Optional, but not nullable: a field left out is kept, a field sent as null is refused. */
const Given = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** `PATCH /v1/cases/{id}`: each field given replaces the case's. */
export class AmendCaseDto {
  @ApiPropertyOptional({ enum: FILING_TYPES })
  @Given() @IsIn(FILING_TYPES)
  filingType?: FilingType;

  @ApiPropertyOptional({ example: 'CN-ZJ' })
  @Given() @Matches(PROVINCE_CODE, { message: 'submissionProvince must be an ISO 3166-2:CN code such as CN-ZJ' })
  submissionProvince?: string;

  @ApiPropertyOptional({ type: ApplicantDto })
  @Given() @IsObject() @ValidateNested() @Type(() => ApplicantDto)
  applicant?: ApplicantDto;

  @ApiPropertyOptional({ type: [WebsiteDto] })
  @Given() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => WebsiteDto)
  websites?: WebsiteDto[];

  @ApiPropertyOptional({ type: HostingDto })
  @Given() @IsObject() @ValidateNested() @Type(() => HostingDto)
  hosting?: HostingDto;

  @ApiPropertyOptional({ description: 'The version the amendment was made against (or send If-Match)' })
  @Given() @IsInt() @Min(1)
  version?: number;
}
