"""Names of channel-layer groups. Built here only, so that a typo cannot split a group."""


def user(user_id: int) -> str:
    return f"user.{user_id}"


def residence(residence_id: int) -> str:
    return f"residence.{residence_id}"


def moderators(residence_id: int) -> str:
    return f"residence.{residence_id}.moderators"


def members(residence_id: int) -> str:
    """Members of the residence (residents, co-animators, staff), not accredited partners: what
    only members may see (the room, exchanges, help requests) is published here."""
    return f"residence.{residence_id}.members"
