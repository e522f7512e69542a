/**
 * Qualified status of a seal or signature whose certificate path ends at a service of a
 * trusted list, the way EU DSS decides it (ETSI TS 119 615 and TS 119 172-4, simplified):
 *
 * 1. the service's state at the judging time (the best signature time, else the validation
 *    time): a CA/QC service granted then (or under the 1999/93/EC equivalents) can vouch that
 *    the certificate is qualified; any other state vouches for nothing;
 * 2. what the certificate says, per ETSI EN 319 412-5: QcCompliance, QcType (esign / eseal /
 *    web), QcSSCD;
 * 3. what the list adds for certificates matching its criteria: QCStatement / NotQualified,
 *    QCForESig / QCForESeal / QCForWSA, QCWithQSCD / QCNoQSCD (they override the certificate),
 *    and whether the service is for that use (ForeSignatures / ForeSeals);
 * 4. the outcome: QESig/QESeal (qualified, on a QSCD), AdESig-QC/AdESeal-QC (qualified
 *    certificate), AdESig/AdESeal (not qualified), NA (not a valid signature, or no use known).
 *
 * Loaded by the verifier only when it is given trusted lists.
 */
import * as asn1js from 'asn1js';
import type { CertificatePolicies } from 'pkijs';
import type { Indication, QualificationLevel, QualificationSummary, ReportReason } from '../report.ts';
import { keyUsage } from '../pdf/chain.ts';
import { certificateFromDer, type CertEntry } from '../pdf/cms.ts';
import { fromBase64Url } from '../encoding.ts';
import type { QualificationCriteria, Qualifier, ServiceState, TrustedListSet, TrustedService, TrustServiceProvider, VerifiedTrustedList } from './model.ts';
import { GRANTED_STATUSES, SERVICE_TYPE, SERVICE_USES, shortStatus } from './model.ts';

const QC_STATEMENTS = '1.3.6.1.5.5.7.1.3';
const CERTIFICATE_POLICIES = '2.5.29.32';
const QC = {
  compliance: '0.4.0.1862.1.1',
  sscd: '0.4.0.1862.1.4',
  type: '0.4.0.1862.1.6',
  esign: '0.4.0.1862.1.6.1',
  eseal: '0.4.0.1862.1.6.2',
  web: '0.4.0.1862.1.6.3',
} as const;

/** Service types whose certificates become trust anchors: CAs and time-stamping authorities. */
const ANCHOR_TYPES = new Set<string>([SERVICE_TYPE.caQc, SERVICE_TYPE.caPkc, SERVICE_TYPE.tsaQtst, 'http://uri.etsi.org/TrstSvc/Svctype/TSA']);

export interface ServiceMatch {
  list: VerifiedTrustedList;
  provider: TrustServiceProvider;
  service: TrustedService;
}

export interface ListAnchors {
  anchors: CertEntry[];
  /** The service each anchor certificate belongs to. */
  services: Map<CertEntry, ServiceMatch>;
}

const anchorCache = new WeakMap<TrustedListSet, ListAnchors>();

function derOf(b64: string): Uint8Array {
  return fromBase64Url(b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
}

/**
 * The certificates of the lists' CA and time-stamping services, as trust anchors (DSS trusts
 * every such service whatever its status: the status decides qualification, not trust), at
 * most `max`. Read once per set object.
 */
export function listAnchors(set: TrustedListSet, max: number): ListAnchors {
  const cached = anchorCache.get(set);
  if (cached) return cached;
  const out: ListAnchors = { anchors: [], services: new Map() };
  for (const list of Array.isArray(set?.lists) ? set.lists : []) {
    for (const provider of list?.list?.providers ?? []) {
      for (const service of provider.services ?? []) {
        if (!service.states?.some((s) => ANCHOR_TYPES.has(s.type))) continue;
        for (const b64 of service.certificates ?? []) {
          if (out.anchors.length >= max) break;
          try {
            const entry = certificateFromDer(derOf(b64));
            out.anchors.push(entry);
            out.services.set(entry, { list, provider, service });
          } catch {
            // an unreadable certificate on a list anchors nothing
          }
        }
      }
    }
  }
  anchorCache.set(set, out);
  return out;
}

export interface QcStatements {
  compliance: boolean;
  sscd: boolean;
  types: ('esign' | 'eseal' | 'web')[];
}

/** The EN 319 412-5 QC statements of a certificate (none when it has no qcStatements extension or it cannot be read). */
export function qcStatements(entry: CertEntry): QcStatements {
  const out: QcStatements = { compliance: false, sscd: false, types: [] };
  const ext = entry.cert.extensions?.find((e) => e.extnID === QC_STATEMENTS);
  if (!ext) return out;
  const asn = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView as Uint8Array<ArrayBuffer>);
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) return out;
  for (const statement of asn.result.valueBlock.value) {
    if (!(statement instanceof asn1js.Sequence)) continue;
    const [id, info] = statement.valueBlock.value;
    if (!(id instanceof asn1js.ObjectIdentifier)) continue;
    const oid = id.valueBlock.toString();
    if (oid === QC.compliance) out.compliance = true;
    else if (oid === QC.sscd) out.sscd = true;
    else if (oid === QC.type && info instanceof asn1js.Sequence) {
      for (const t of info.valueBlock.value) {
        if (!(t instanceof asn1js.ObjectIdentifier)) continue;
        const type = t.valueBlock.toString();
        if (type === QC.esign) out.types.push('esign');
        else if (type === QC.eseal) out.types.push('eseal');
        else if (type === QC.web) out.types.push('web');
      }
    }
  }
  return out;
}

function policies(entry: CertEntry): Set<string> {
  const ext = entry.cert.extensions?.find((e) => e.extnID === CERTIFICATE_POLICIES);
  const parsed = ext?.parsedValue as CertificatePolicies | undefined;
  return new Set((parsed?.certificatePolicies ?? []).map((p) => p.policyIdentifier));
}

const KEY_USAGE_BIT: Record<string, number> = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, dataEncipherment: 3, keyAgreement: 4, keyCertSign: 5, crlSign: 6, encipherOnly: 7, decipherOnly: 8 };

/** Whether a certificate meets a CriteriaList (TS 119 612, 5.5.9.2.2); criteria Overa does not evaluate match nothing. */
export function meetsCriteria(entry: CertEntry, criteria: QualificationCriteria): boolean {
  if (criteria.other.length > 0) return false;
  const own = policies(entry);
  const ku = keyUsage(entry.cert) ?? new Set<number>();
  const results: boolean[] = [
    ...criteria.policySets.map((set) => set.length > 0 && set.every((oid) => own.has(oid))),
    ...criteria.keyUsage.map((bits) => Object.entries(bits).every(([bit, set]) => ku.has(KEY_USAGE_BIT[bit]!) === set)),
    ...criteria.nested.map((n) => meetsCriteria(entry, n)),
  ];
  if (results.length === 0) return criteria.assert !== 'atLeastOne' ? true : false;
  if (criteria.assert === 'all') return results.every(Boolean);
  if (criteria.assert === 'none') return !results.some(Boolean);
  return results.some(Boolean);
}

/** The service's state at `at` (its states are newest first); undefined before its first status. */
export function stateAt(service: TrustedService, at: Date): ServiceState | undefined {
  const t = at.getTime();
  return service.states.find((s) => Date.parse(s.from) <= t && (s.to === undefined || t < Date.parse(s.to)));
}

const QSCD_YES: readonly Qualifier[] = ['QCWithQSCD', 'QCWithSSCD', 'QCQSCDManagedOnBehalf'];
const QSCD_NO: readonly Qualifier[] = ['QCNoQSCD', 'QCNoSSCD'];

/**
 * The qualification of a seal or signature: `path` is signer first, the list's certificate
 * last; `match` the service it belongs to; `indication` the signature's own result.
 */
export function qualify(path: readonly CertEntry[], match: ServiceMatch, at: Date, indication: Indication): QualificationSummary {
  const signer = path[0]!;
  const reasons: ReportReason[] = [];
  const qc = qcStatements(signer);
  const state = stateAt(match.service, at);
  const qualifiers = new Set<Qualifier>();
  for (const rule of state?.qualifications ?? []) if (meetsCriteria(signer, rule.criteria)) for (const q of rule.qualifiers) qualifiers.add(q);

  const isGranted = (s: ServiceState | undefined) => s !== undefined && s.type === SERVICE_TYPE.caQc && GRANTED_STATUSES.has(s.status);
  // TS 119 615: the certificate must have been issued under a qualified service too (its notBefore).
  const issuedAt = signer.cert.notBefore.value;
  const atIssuance = stateAt(match.service, issuedAt);
  let granted = isGranted(state);
  if (!state) reasons.push({ code: 'service-not-yet-listed', detail: `the service has no status on the list at ${at.toISOString()}` });
  else if (state.type !== SERVICE_TYPE.caQc) reasons.push({ code: 'service-not-qualified', detail: `the service is of type ${state.type}, not a CA for qualified certificates` });
  else if (!GRANTED_STATUSES.has(state.status)) reasons.push({ code: 'service-not-granted', detail: `the service's status at ${at.toISOString()} is ${shortStatus(state.status)} (since ${state.from})` });
  else if (!isGranted(atIssuance)) {
    granted = false;
    reasons.push({ code: 'service-not-granted-at-issuance', detail: `the certificate was issued on ${issuedAt.toISOString()}, when the service was ${atIssuance ? shortStatus(atIssuance.status) : 'not on the list'}` });
  }

  let qualifiedCertificate = granted && !qualifiers.has('NotQualified') && (qc.compliance || qualifiers.has('QCStatement'));
  if (granted && !qualifiedCertificate) reasons.push({ code: 'certificate-not-qualified', detail: qualifiers.has('NotQualified') ? 'the list marks the certificate NotQualified' : 'the certificate has no QcCompliance statement' });

  // The use: the list's qualifiers first, then the certificate's QcType, then (pre-eIDAS QC without QcType) e-signatures, then the service's only use.
  let use: QualificationSummary['use'];
  const listed = (['QCForESig', 'QCForESeal', 'QCForWSA'] as const).filter((q) => qualifiers.has(q));
  const uses = { QCForESig: 'esig', QCForESeal: 'eseal', QCForWSA: 'wsa' } as const;
  if (listed.length === 1) use = uses[listed[0]!];
  else if (listed.length === 0 && qc.types.length === 1) use = ({ esign: 'esig', eseal: 'eseal', web: 'wsa' } as const)[qc.types[0]!];
  else if (listed.length === 0 && qc.types.length === 0 && qc.compliance) use = 'esig';
  if (use === undefined && listed.length === 0 && qc.types.length === 0) {
    const serviceUses = (state?.additionalInfo ?? []).filter((u) => u === SERVICE_USES.esig || u === SERVICE_USES.eseal);
    if (serviceUses.length === 1) use = serviceUses[0] === SERVICE_USES.esig ? 'esig' : 'eseal';
  }
  if (use === undefined) reasons.push({ code: 'use-unknown', detail: 'neither the certificate nor the list says whether it is for signatures or seals' });
  // A service listed for some uses vouches only for those (eIDAS services name them).
  const wanted = use === 'esig' ? SERVICE_USES.esig : use === 'eseal' ? SERVICE_USES.eseal : use === 'wsa' ? SERVICE_USES.wsa : undefined;
  const serviceInfo = state?.additionalInfo.filter((u) => (Object.values(SERVICE_USES) as string[]).includes(u)) ?? [];
  if (qualifiedCertificate && wanted && serviceInfo.length > 0 && !serviceInfo.includes(wanted)) {
    qualifiedCertificate = false;
    reasons.push({ code: 'service-not-for-use', detail: `the service is not listed for ${use === 'esig' ? 'electronic signatures' : use === 'eseal' ? 'electronic seals' : 'website authentication'}` });
  }

  const qscd = qualifiedCertificate && (QSCD_YES.some((q) => qualifiers.has(q)) || (!QSCD_NO.some((q) => qualifiers.has(q)) && qc.sscd));
  if (qualifiedCertificate && !qscd) reasons.push({ code: 'not-on-qscd', detail: 'neither the certificate nor the list says the key is on a qualified signature or seal creation device' });

  let level: QualificationLevel;
  if (indication !== 'TOTAL_PASSED') {
    level = 'NA';
    reasons.unshift({ code: 'signature-not-valid', detail: 'only a signature that passed can be qualified' });
  } else if (use === 'esig') level = qualifiedCertificate ? (qscd ? 'QESig' : 'AdESig-QC') : 'AdESig';
  else if (use === 'eseal') level = qualifiedCertificate ? (qscd ? 'QESeal' : 'AdESeal-QC') : 'AdESeal';
  else level = 'NA';

  const summary: QualificationSummary = {
    level,
    at: at.toISOString(),
    territory: match.list.list.territory,
    provider: match.provider.name,
    service: match.service.name,
    qcCompliance: qc.compliance,
    qcTypes: qc.types,
    qcSscd: qc.sscd,
    qualifiers: [...qualifiers],
    qualifiedCertificate,
    qscd,
    reasons,
  };
  if (state) {
    summary.serviceType = state.type;
    summary.serviceStatus = shortStatus(state.status);
    summary.statusFrom = state.from;
  }
  if (use) summary.use = use;
  return summary;
}
