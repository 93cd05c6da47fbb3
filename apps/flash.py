"""Shared by the views of every app: run an action from a POST and report a refusal as a
message on the next page (nothing was written: actions validate before they save)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def attempt(request: HttpRequest, action: Callable[[], Any], success: str = "") -> bool:
    """Run ``action``; on ValidationError show its messages and return False; otherwise show
    ``success`` (if any) and return True."""
    try:
        action()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False
    if success:
        messages.success(request, success)
    return True
