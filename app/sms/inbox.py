"""The inbox: stored messages waiting for handling, drained in batches by a few RQ jobs.

An RQ job costs about 20 Redis round trips of bookkeeping, more than handling an SMS
itself. So the webhook does not enqueue a job per message: it appends the id to a Redis
list and wakes a drain job only when none is pending for the message's slot (`SET NX` on
a wake key), in the same round trip as the sender's rate limit (`admit`). A drain job
(`workers.sms.handle_inbox`) takes ids until the list is empty, then clears its wake key
and looks once more, so a message pushed meanwhile is either taken by that last look or
wakes a new job: no id waits without a job coming for it.

The list is only a hint. The database says what still needs handling (`received`): an id
lost with Redis, or taken by a worker that died, is found by `sweep_inbound`. A message is
handled once: whoever handles it (a drain job, or a job of its own from the sweeper) first
claims it (`claim`, SET NX with a lifetime longer than any job's timeout), and the handling
moves it from `received` with a conditional UPDATE. The claim keeps a command's effects
outside the database (a wrong PIN counted, an activation try) from happening twice while
two jobs race for the same message. Slots let several drain jobs run at once, one per worker.
"""

from __future__ import annotations

from functools import lru_cache

from redis import Redis
from redis.commands.core import Script

from app.queues import ALL, SMS, enqueue, get_queue
from app.redis_client import get_redis
from app.sms.senders import RATE_LIMIT, RATE_WINDOW, rate_key

INBOX = "melek:sms:inbox"
SLOTS = 4  # drain jobs that may run at once: at least the number of `sms` workers
WAKE_TTL = 300  # a wake key outlives a lost drain job by at most this; the sweeper covers it
DRAIN_TIMEOUT = 60  # job timeout; a drain job hands over after DRAIN_BUDGET seconds
DRAIN_BUDGET = 2.0  # short: a worker inside a drain job does not look at its other queues
CLAIM_TTL = 300  # longer than any handling job's timeout: a dead worker's claim lapses, the sweeper retries


def wake_key(slot: int) -> str:
    return f"{INBOX}:wake:{slot}"


# Count the message against its sender's limit (the window opens at the first message;
# EXPIRE NX never leaves a key without expiry); within the limit, push it and try the wake key.
ADMIT = """
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1], 'NX')
if count > tonumber(ARGV[2]) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[3])
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[4]) then return 2 end
return 1
"""
LIMITED, PUSHED, WOKE = 0, 1, 2


def admit(inbound_id: int, sender: str, limit: int = RATE_LIMIT, window: int = RATE_WINDOW) -> bool:
    """Count a new message against its sender's rate limit and, within it, push it to the inbox.

    One round trip (a Lua script, atomic); a drain job is enqueued if the message's slot had
    none pending. False: over the limit, nothing pushed.
    """
    slot = inbound_id % SLOTS
    result = _admit_script(get_redis())(
        keys=[rate_key(sender), INBOX, wake_key(slot)], args=[window, limit, inbound_id, WAKE_TTL]
    )
    if result == WOKE:
        enqueue_drain(slot)
    return bool(result != LIMITED)


@lru_cache(maxsize=8)
def _admit_script(client: Redis) -> Script:
    """ADMIT registered once per client (it keeps the script's SHA for EVALSHA)."""
    return client.register_script(ADMIT)


def enqueue_drain(slot: int) -> None:
    """Enqueue a drain job for `slot`; if that fails, clear the wake key so the next push retries."""
    try:
        enqueue(SMS, "workers.sms.handle_inbox", slot, timeout=DRAIN_TIMEOUT, check_existing=False)
    except Exception:
        get_redis().delete(wake_key(slot))
        raise


def take(slot: int, count: int) -> list[int]:
    """Up to `count` ids from the inbox. Empty: the slot's wake key is cleared (after a last look)."""
    redis = get_redis()
    with redis.pipeline(transaction=False) as pipe:
        pipe.lpop(INBOX, count)
        pipe.expire(wake_key(slot), WAKE_TTL)
        ids = pipe.execute()[0]
    if not ids:
        # Clear the key first, then look again: a push after this look sees no key and wakes a job.
        with redis.pipeline(transaction=False) as pipe:
            pipe.delete(wake_key(slot))
            pipe.lpop(INBOX, count)
            ids = pipe.execute()[1]
        if ids:
            redis.set(wake_key(slot), b"1", ex=WAKE_TTL)  # still draining: no second job needed
    return [int(i) for i in ids or ()]


def give_back(ids: list[int]) -> None:
    """Put ids taken but not handled back at the head of the inbox, in their order."""
    if ids:
        get_redis().lpush(INBOX, *reversed(ids))


def claim_key(inbound_id: int) -> str:
    return f"melek:sms:handling:{inbound_id}"


def claim(inbound_id: int) -> bool:
    """Claim the message for handling; False if another job holds it (see the module doc)."""
    return bool(get_redis().set(claim_key(inbound_id), b"1", nx=True, ex=CLAIM_TTL))


def release(inbound_id: int) -> None:
    """Let another job handle the message (its handling failed and was rolled back)."""
    get_redis().delete(claim_key(inbound_id))


def draining() -> bool:
    """Ids wait in the inbox and a drain job is on them (some slot's wake key is set)."""
    redis = get_redis()
    with redis.pipeline(transaction=False) as pipe:
        pipe.llen(INBOX)
        pipe.exists(*(wake_key(slot) for slot in range(SLOTS)))
        waiting_ids, woken = pipe.execute()
    return bool(waiting_ids and woken)


def urgent_work_waiting() -> bool:
    """Jobs wait on a queue workers serve before `sms` (crisis alerts, USSD lookups).

    A drain job then hands over to a successor at the back of the `sms` queue, so that the
    worker takes the urgent job next, as it would between one-message jobs.
    """
    with get_redis().pipeline(transaction=False) as pipe:
        for name in ALL[: ALL.index(SMS)]:
            pipe.llen(get_queue(name).key)
        return any(pipe.execute())


def waiting() -> int:
    """How many ids wait in the inbox (metrics, tests)."""
    return int(get_redis().llen(INBOX))
