/**
 * The notices the ledger sends people about a pack (CreditNotice, issue 13): one per reader,
 * each with its own sentence from src/domain/credits/wording.ts in the reader's zone (the
 * client's, else the trainer's; the trainer's own). The numbers are read when the notice is
 * built, so a reminder says what is left then.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { creditNoticeWording, creditWording } from '../domain/credits/wording';
import type { Audience, CreditNotice, CreditNoticeKind } from '../notifications/notification';

type When = Date | string;

export interface CreditNoticeRequest {
  kind: CreditNoticeKind;
  lotId: number;
  /** Unique per event (the notice's key is `<key>/<audience>`): a retried delivery is recognised. */
  key: string;
  /** credits.expired: how many credits the expiry wrote off. */
  expired?: number;
  /** Who hears it; by default the client, and the trainer too except for credits.purchased (the trainer recorded it). */
  audience?: Audience[];
  /** "Now" for the client's total (lots valid after it); the pack's workflow passes its own clock. */
  now?: Date;
}

interface LotFacts {
  lot_id: number;
  client_id: number;
  trainer_id: number;
  available: number;
  sessions: number;
  session_minutes: number;
  expires_at: When;
  pack_name: string;
  client_name: string;
  client_zone: string | null;
  trainer_name: string;
  trainer_zone: string | null;
  total_left: number;
}

/** The notices for one event of one lot, or none when the lot does not exist. */
export async function buildCreditNotices(em: EntityManager, request: CreditNoticeRequest): Promise<CreditNotice[]> {
  const now = request.now ?? new Date();
  const [lot] = await em.execute<LotFacts[]>(
    `select l.id as lot_id, l.client_id, l.trainer_id, l.available, l.sessions, l.session_minutes, l.expires_at, pt.name as pack_name,
            cu.full_name as client_name, cu.time_zone as client_zone, tu.full_name as trainer_name, coalesce(t.time_zone, tu.time_zone) as trainer_zone,
            (select coalesce(sum(x.available), 0)::int from credit_lot x where x.client_id = l.client_id and x.trainer_id = l.trainer_id and x.expires_at >= ?) as total_left
       from credit_lot l join package_type pt on pt.id = l.package_type_id join app_user cu on cu.id = l.client_id
            join trainer t on t.id = l.trainer_id join app_user tu on tu.id = t.user_id
      where l.id = ?`,
    [now, request.lotId],
  );
  if (!lot) return [];
  const expiresAt = new Date(lot.expires_at);
  const trainerZone = lot.trainer_zone ?? 'UTC';
  const clientZone = lot.client_zone ?? trainerZone;
  const totalLeft = Number(lot.total_left);
  const audience = request.audience ?? (request.kind === 'credits.purchased' ? ['client'] : ['client', 'trainer']);
  const textFor = (reader: Audience): string => {
    const zone = reader === 'client' ? clientZone : trainerZone;
    switch (request.kind) {
      case 'credits.purchased':
        return reader === 'client'
          ? creditNoticeWording.purchased({ trainerName: lot.trainer_name, packName: lot.pack_name, sessions: lot.sessions, sessionMinutes: lot.session_minutes, expiresAt }, zone)
          : creditWording.lowOrExpiring({ clientName: lot.client_name, available: totalLeft, expiring: 0, expiresAt: null }, zone);
      case 'credits.low':
        return reader === 'client'
          ? creditWording.reminder({ trainerName: lot.trainer_name, available: totalLeft, expiring: 0, expiresAt: null }, zone)
          : creditWording.lowOrExpiring({ clientName: lot.client_name, available: totalLeft, expiring: 0, expiresAt: null }, zone);
      case 'credits.expiring':
        return reader === 'client'
          ? creditWording.reminder({ trainerName: lot.trainer_name, available: totalLeft, expiring: lot.available, expiresAt }, zone)
          : creditWording.lowOrExpiring({ clientName: lot.client_name, available: totalLeft, expiring: lot.available, expiresAt }, zone);
      case 'credits.expired': {
        const args = { trainerName: lot.trainer_name, packName: lot.pack_name, expired: request.expired ?? 0, expiresAt };
        return reader === 'client' ? creditNoticeWording.expired(args, zone) : creditNoticeWording.expired({ ...args, clientName: lot.client_name }, zone);
      }
    }
  };
  return audience.map((reader) => ({
    key: `${request.key}/${reader}`,
    kind: request.kind,
    audience: [reader],
    clientId: lot.client_id,
    trainerId: lot.trainer_id,
    text: textFor(reader),
    lotId: lot.lot_id,
    packName: lot.pack_name,
    available: lot.available,
    totalLeft,
    expiresAt: expiresAt.toISOString(),
  }));
}
