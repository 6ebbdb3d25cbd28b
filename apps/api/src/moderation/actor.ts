/**
 * @roadmap security.authorization
 * Look at what a service is told about who is acting: an id and a role, plain values, so the
 * rule "the owner, or an admin when deleting" is written in the service whatever the transport.
 */
import type { Role } from '../auth/authenticated-user';

/** Who is making a change: enough to decide ownership and moderation rights, and nothing else. */
export interface Actor {
  id: number;
  role: Role;
}

/** The actor of a signed-in request, without its token or credential. */
export function actorOf(user: Actor): Actor {
  return { id: user.id, role: user.role };
}
