export { User } from './user';
export { ChatIdentity } from './chat-identity';
export { Trainer } from './trainer';
export { TimeSlot } from './time-slot';
export { BookingRequest } from './booking-request';
export { Booking } from './booking';
export { BookingSeries } from './booking-series';
export { Session } from './session';
export { Conversation } from './conversation';
export { ApiToken } from './api-token';
export { ChatMessage } from './chat-message';
export { ChatLinkCode } from './chat-link-code';
export { TrainerPolicyRecord } from './trainer-policy';

import { ApiToken } from './api-token';
import { Booking } from './booking';
import { BookingRequest } from './booking-request';
import { BookingSeries } from './booking-series';
import { ChatIdentity } from './chat-identity';
import { ChatLinkCode } from './chat-link-code';
import { ChatMessage } from './chat-message';
import { Conversation } from './conversation';
import { Session } from './session';
import { TimeSlot } from './time-slot';
import { Trainer } from './trainer';
import { TrainerPolicyRecord } from './trainer-policy';
import { User } from './user';

export const ALL_ENTITIES = [User, ChatIdentity, Trainer, TimeSlot, BookingRequest, Booking, BookingSeries, Session, Conversation, ApiToken, ChatMessage, ChatLinkCode, TrainerPolicyRecord];
