import datetime

from django import template

from apps.events.formats import hour_text, when_text

register = template.Library()


@register.filter
def event_when(moment: datetime.datetime) -> str:
    """ "samedi 5 juin 18 h" """
    return when_text(moment)


@register.filter
def event_hour(moment: datetime.datetime) -> str:
    return hour_text(moment)
