"""Demo data: idempotent; refuses production settings unless told explicitly."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import SignIn, User, Visit
from apps.exchanges.models import Category, Exchange, Kind, Response, Thanks
from apps.exchanges.models import Status as ExchangeStatus
from apps.insights.actions import store_range
from apps.messaging.models import Conversation, Message, Participant
from apps.residences.models import (
    Accreditation,
    Entrance,
    Landlord,
    LandlordStaff,
    Membership,
    PartnerOrganisation,
    Residence,
    Role,
    Status,
)
from apps.seniors.models import (
    Consent,
    ConsentHow,
    ConsentScope,
    Contact,
    Every,
    HeatwaveRegistration,
    HelpRequest,
    RegularVisit,
    Volunteer,
)
from apps.seniors.models import Kind as HelpKind
from apps.seniors.models import Status as HelpStatus

PASSWORD = "voisinage-demo"

HISTORY_DAYS = 70  # days of past use the demo makes up for the indicators

RESIDENCES: list[dict[str, Any]] = [
    {
        "name": "Les Tilleuls",
        "address": "12 rue des Tilleuls",
        "postcode": "69008",
        "city": "Lyon",
        "invitation_code": "TILLEULS",
        "dwellings": 48,
        "entrances": ["Entrée A", "Entrée B", "Entrée C"],
    },
    {
        "name": "Le Vulcain",
        "address": "3 allée du Vulcain",
        "postcode": "69200",
        "city": "Vénissieux",
        "invitation_code": "VULCAIN2",
        "dwellings": 36,
        "entrances": ["Bâtiment 1", "Bâtiment 2"],
    },
]

# email, first name, last name, residence, role, extra profile fields
PEOPLE: list[tuple[str, str, str, str | None, str, dict[str, Any]]] = [
    ("bailleur@demo.test", "Claire", "Fontaine", None, Role.STAFF, {}),
    (
        "coanim@demo.test",
        "Karim",
        "Benali",
        "Les Tilleuls",
        Role.CO_ANIMATOR,
        {"skills": "Bricolage, informatique", "languages": "Français, arabe"},
    ),
    (
        "senior@demo.test",
        "Jeanne",
        "Moreau",
        "Les Tilleuls",
        Role.RESIDENT,
        {"is_senior": True, "large_text": True, "bio": "Au 3e étage de l'entrée B depuis 1978."},
    ),
    (
        "voisin@demo.test",
        "Lucas",
        "Martin",
        "Les Tilleuls",
        Role.RESIDENT,
        {"skills": "Courses, accompagnement", "languages": "Français, anglais"},
    ),
    (
        "autre@demo.test",
        "Awa",
        "Diallo",
        "Le Vulcain",
        Role.RESIDENT,
        {"skills": "Couture", "languages": "Français, wolof"},
    ),
    (
        "fatima@demo.test",
        "Fatima",
        "Belkacem",
        "Les Tilleuls",
        Role.RESIDENT,
        {"skills": "Cuisine, aide aux devoirs"},
    ),
    ("marcel@demo.test", "Marcel", "Petit", "Les Tilleuls", Role.RESIDENT, {"is_senior": True}),
    (
        "nadia@demo.test",
        "Nadia",
        "Haddad",
        "Les Tilleuls",
        Role.CO_ANIMATOR,
        {"skills": "Démarches administratives"},
    ),
    (
        "thomas@demo.test",
        "Thomas",
        "Leroy",
        "Les Tilleuls",
        Role.RESIDENT,
        {"skills": "Vélo, jardinage"},
    ),
    (
        "sofia@demo.test",
        "Sofia",
        "Costa",
        "Les Tilleuls",
        Role.RESIDENT,
        {"languages": "Français, portugais"},
    ),
    ("ibrahim@demo.test", "Ibrahim", "Traoré", "Les Tilleuls", Role.RESIDENT, {}),
    ("helene@demo.test", "Hélène", "Garnier", "Les Tilleuls", Role.RESIDENT, {"is_senior": True}),
    ("mehdi@demo.test", "Mehdi", "Cherif", "Le Vulcain", Role.CO_ANIMATOR, {}),
    ("julie@demo.test", "Julie", "Roux", "Le Vulcain", Role.RESIDENT, {"skills": "Informatique"}),
    ("paul@demo.test", "Paul", "Nguyen", "Le Vulcain", Role.RESIDENT, {}),
    ("partenaire@demo.test", "Sylvie", "Lambert", None, Role.PARTNER, {}),
]
PENDING = ("nouveau@demo.test", "Yanis", "Morel", "Les Tilleuls")


class Command(BaseCommand):
    help = "Create the demo landlord, residences and accounts (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with production settings (creates accounts with a known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to seed demo accounts with production settings "
                "(pass --allow-production if you really mean it)."
            )
        with transaction.atomic():
            self.seed()
        self.stdout.write(f"Indicators: {self.indicators()} daily rows stored.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Every demo account's password: {PASSWORD}")
        )

    def seed(self) -> None:
        landlord, _ = Landlord.objects.get_or_create(name="Habitat Démo")
        residences: dict[str, Residence] = {}
        entrances: dict[str, list[Entrance]] = {}
        for spec in RESIDENCES:
            residence, _ = Residence.objects.get_or_create(
                landlord=landlord,
                name=spec["name"],
                defaults={
                    k: spec[k]
                    for k in ("address", "postcode", "city", "invitation_code", "dwellings")
                },
            )
            residences[residence.name] = residence
            entrances[residence.name] = [
                Entrance.objects.get_or_create(residence=residence, name=name)[0]
                for name in spec["entrances"]
            ]
        partner_org, _ = PartnerOrganisation.objects.get_or_create(
            name="Centre social des Lilas", defaults={"kind": PartnerOrganisation.Kind.ASSOCIATION}
        )
        now = timezone.now()
        for index, (email, first, last, residence_name, role, extra) in enumerate(PEOPLE):
            user = self.person(email, first, last, extra)
            if role == Role.STAFF:
                LandlordStaff.objects.get_or_create(
                    landlord=landlord, user=user, defaults={"job_title": "Chargée de proximité"}
                )
            elif role == Role.PARTNER:
                partner_org.members.add(user)
                Accreditation.objects.get_or_create(
                    organisation=partner_org, residence=residences["Les Tilleuls"]
                )
            elif residence_name:
                options = entrances[residence_name]
                Membership.objects.get_or_create(
                    user=user,
                    residence=residences[residence_name],
                    defaults={
                        "role": role,
                        "status": Status.ACTIVE,
                        "charter_accepted_at": now,
                        "decided_at": now,
                        "entrance": options[index % len(options)],
                    },
                )
        self.conversations(residences["Les Tilleuls"])
        self.exchanges(residences["Les Tilleuls"])
        self.senior_support(residences["Les Tilleuls"])
        self.senior_follow_up(residences["Les Tilleuls"])
        self.moderation(residences["Les Tilleuls"])
        self.residence_life(residences["Les Tilleuls"])
        email, first, last, residence_name = PENDING
        user = self.person(email, first, last, {})
        Membership.objects.get_or_create(
            user=user,
            residence=residences[residence_name],
            defaults={
                "status": Status.PENDING,
                "charter_accepted_at": now,
                "message": "Bonjour, j'habite l'entrée C depuis le mois dernier.",
            },
        )

    def conversations(self, residence: Residence) -> None:
        """A direct conversation and a few words in the room (only the first time)."""
        if Conversation.objects.filter(residence=residence).exists():
            return
        people = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
        lucas, jeanne, karim, fatima = (
            people[e]
            for e in (
                "voisin@demo.test",
                "senior@demo.test",
                "coanim@demo.test",
                "fatima@demo.test",
            )
        )
        direct = Conversation.objects.create(
            residence=residence,
            kind=Conversation.Kind.DIRECT,
            direct_key=f"{min(lucas.pk, jeanne.pk)}-{max(lucas.pk, jeanne.pk)}",
            created_by=jeanne,
        )
        Participant.objects.bulk_create(
            [Participant(conversation=direct, user=u) for u in (lucas, jeanne)]
        )
        room = Conversation.objects.create(residence=residence, kind=Conversation.Kind.ROOM)
        script = [
            (direct, jeanne, "Bonjour Lucas, pourriez-vous m'aider à porter mes courses jeudi ?"),
            (direct, lucas, "Bien sûr Jeanne, je passe vers 17 h."),
            (room, karim, "Bienvenue dans le salon de la résidence ! Soyez bienveillants 🙂"),
            (room, fatima, "Qui est partant pour la fête des voisins en juin ?"),
            (room, lucas, "Moi ! Je peux apporter des chaises."),
        ]
        for conversation, author, body in script:
            message = Message.objects.create(conversation=conversation, author=author, body=body)
            conversation.last_message_at = message.created_at
        for conversation in (direct, room):
            conversation.save(update_fields=["last_message_at"])

    def senior_support(self, residence: Residence) -> None:
        """Volunteers (voisin@ and coanim@) and help requests (only the first time)."""
        people = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
        for email, skills, availability in (
            (
                "voisin@demo.test",
                [HelpKind.SHOPPING, HelpKind.VISIT, HelpKind.CALL],
                "En semaine le soir",
            ),
            ("coanim@demo.test", [HelpKind.PAPERWORK, HelpKind.DIY], "Le samedi matin"),
        ):
            Volunteer.objects.get_or_create(
                residence=residence,
                user=people[email],
                defaults={"skills": [str(s) for s in skills], "availability": availability},
            )
        if HelpRequest.objects.filter(residence=residence).exists():
            return
        jeanne, marcel, helene, lucas = (
            people[e]
            for e in (
                "senior@demo.test",
                "marcel@demo.test",
                "helene@demo.test",
                "voisin@demo.test",
            )
        )
        HelpRequest.objects.create(
            residence=residence,
            senior=jeanne,
            posted_by=jeanne,
            kind=HelpKind.SHOPPING,
            when_text="Jeudi matin",
            details="Du pain, du lait et mes médicaments à la pharmacie.",
            contact=Contact.PHONE,
            phone="04 78 00 00 00",
        )
        HelpRequest.objects.create(
            residence=residence,
            senior=marcel,
            posted_by=marcel,
            kind=HelpKind.PAPERWORK,
            when_text="Cette semaine, l'après-midi",
            details="Remplir ma déclaration en ligne.",
            contact=Contact.MESSAGE,
        )
        HelpRequest.objects.create(
            residence=residence,
            senior=helene,
            posted_by=helene,
            kind=HelpKind.VISIT,
            when_text="Le dimanche après-midi",
            contact=Contact.MESSAGE,
            status=HelpStatus.TAKEN,
            volunteer=lucas,
            taken_at=timezone.now(),
        )

    def senior_follow_up(self, residence: Residence) -> None:
        """Lucas visits Hélène every week; Fatima is Jeanne's registered helper; Jeanne is on
        the heatwave register (each made once)."""
        people = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
        jeanne, helene, lucas, fatima, coanim = (
            people[e]
            for e in (
                "senior@demo.test",
                "helene@demo.test",
                "voisin@demo.test",
                "fatima@demo.test",
                "coanim@demo.test",
            )
        )
        visit = HelpRequest.objects.filter(
            residence=residence, senior=helene, kind=HelpKind.VISIT, volunteer=lucas
        ).first()
        if visit is not None and not RegularVisit.objects.filter(help_request=visit).exists():
            RegularVisit.objects.create(
                residence=residence,
                help_request=visit,
                senior=helene,
                volunteer=lucas,
                kind=HelpKind.VISIT,
                every_days=Every.WEEK,
                next_on=timezone.localdate() + datetime.timedelta(days=2),
                created_by=lucas,
            )
        Consent.objects.get_or_create(
            residence=residence,
            senior=jeanne,
            given_to=fatima,
            scope=ConsentScope.AIDANT,
            defaults={"recorded_by": coanim, "how": ConsentHow.WRITTEN},
        )
        # Jeanne is on the heatwave register (the heatwave mode itself stays off).
        HeatwaveRegistration.objects.get_or_create(
            residence=residence,
            senior=jeanne,
            defaults={
                "phone": "04 78 00 00 00",
                "note": "Vit seule, 3e étage de l'entrée B.",
                "registered_by": jeanne,
            },
        )

    def exchanges(self, residence: Residence) -> None:
        """Open offers and requests, one in progress, one done and thanked (only the first
        time). Rows are made directly, not through the actions: no notification, no email."""
        if Exchange.objects.filter(residence=residence).exists():
            return
        people = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
        lucas, jeanne, karim, fatima, thomas, sofia = (
            people[f"{name}@demo.test"]
            for name in ("voisin", "senior", "coanim", "fatima", "thomas", "sofia")
        )
        # author, kind, category, title, description, availability, status
        specs = [
            (
                thomas,
                Kind.OFFER,
                Category.GARDENING,
                "Boutures de tomates et conseils au potager",
                "J'ai trop de plants cette année : servez-vous, et je montre comment les tailler.",
                "Le samedi matin",
                ExchangeStatus.OPEN,
            ),
            (
                fatima,
                Kind.OFFER,
                Category.COOKING,
                "Atelier couscous pour débutants",
                "Je vous apprends à rouler la semoule, dans ma cuisine.",
                "Un dimanche après-midi",
                ExchangeStatus.OPEN,
            ),
            (
                jeanne,
                Kind.REQUEST,
                Category.COMPUTERS,
                "Apprendre à faire des appels vidéo",
                "Pour voir mes petits-enfants sur la tablette.",
                "En semaine, l'après-midi",
                ExchangeStatus.OPEN,
            ),
            (
                lucas,
                Kind.REQUEST,
                Category.LENDING,
                "Emprunter une perceuse",
                "Pour fixer deux cadres, je la rends le soir même.",
                "Ce week-end",
                ExchangeStatus.OPEN,
            ),
            (
                sofia,
                Kind.REQUEST,
                Category.PETS,
                "Nourrir mon chat pendant les vacances",
                "Du 10 au 17 août, une visite par jour suffit.",
                "Du 10 au 17 août",
                ExchangeStatus.OPEN,
            ),
            (
                jeanne,
                Kind.REQUEST,
                Category.SHOPPING,
                "Porter mes courses jeudi",
                "Les sacs sont lourds pour le 3e étage.",
                "Jeudi vers 17 h",
                ExchangeStatus.IN_PROGRESS,
            ),
            (
                fatima,
                Kind.REQUEST,
                Category.DIY,
                "Fixer une tringle à rideaux",
                "Dans la chambre des enfants : je n'ai pas de perceuse.",
                "",
                ExchangeStatus.DONE,
            ),
        ]
        made = {
            title: Exchange.objects.create(
                residence=residence,
                author=author,
                kind=kind,
                category=category,
                title=title,
                description=description,
                availability=availability,
                status=status,
            )
            for author, kind, category, title, description, availability, status in specs
        }
        # Lucas carries Jeanne's shopping: they already talk in their direct conversation.
        direct = Conversation.objects.filter(
            residence=residence,
            kind=Conversation.Kind.DIRECT,
            direct_key=f"{min(lucas.pk, jeanne.pk)}-{max(lucas.pk, jeanne.pk)}",
        ).first()
        Response.objects.create(
            exchange=made["Porter mes courses jeudi"],
            responder=lucas,
            message="Je peux vous aider, je rentre du travail vers 17 h.",
            conversation=direct,
            accepted=True,
        )
        Response.objects.create(
            exchange=made["Apprendre à faire des appels vidéo"],
            responder=karim,
            message="Avec plaisir, je passe avec ma tablette mardi ?",
        )
        shelf = made["Fixer une tringle à rideaux"]
        Response.objects.create(
            exchange=shelf,
            responder=karim,
            message="J'ai une visseuse, je passe samedi matin.",
            accepted=True,
        )
        Thanks.objects.create(
            exchange=shelf,
            from_user=fatima,
            to_user=karim,
            text="Merci Karim, la tringle tient parfaitement et les enfants sont ravis !",
            public=True,
        )

    def moderation(self, residence: Residence) -> None:
        """A keyword filter, a reported room message waiting in the queue and one warning in
        the public log (only the first time)."""
        from apps.moderation import actions as moderation
        from apps.moderation.models import ResidenceSettings

        if ResidenceSettings.objects.filter(residence=residence).exists():
            return
        people = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
        karim, lucas, thomas = (
            people[e] for e in ("coanim@demo.test", "voisin@demo.test", "thomas@demo.test")
        )
        moderation.update_settings(
            karim,
            residence,
            keywords="argent liquide\nvirement",
            hold_new_members=False,
            charter="",
        )
        room = Conversation.objects.get(residence=residence, kind=Conversation.Kind.ROOM)
        message = Message.objects.create(
            conversation=room,
            author=thomas,
            body="Je vends mon vélo, 50 €, passez me voir au B2.",
        )
        moderation.report(lucas, "message", message.pk, reason="scam", note="Pas de vente ici")
        moderation.decide(
            karim,
            residence,
            target_type=moderation.MEMBER_TARGET,
            target_id=thomas.pk,
            action="warn",
            reason="off_topic",
            explanation="Annonces commerciales dans le salon.",
            message="Bonjour Thomas, le salon sert à l'entraide : pas de vente, merci !",
        )

    def residence_life(self, residence: Residence) -> None:
        """A landlord notice, news from the co-animators and a partner, a comment (only the
        first time)."""
        import datetime

        from apps.community import actions as community
        from apps.community.models import Post

        if Post.objects.filter(residence=residence).exists():
            return
        people = {u.email: u for u in User.objects.filter(email__endswith="@demo.test")}
        claire, karim, sylvie, jeanne = (
            people[e]
            for e in (
                "bailleur@demo.test",
                "coanim@demo.test",
                "partenaire@demo.test",
                "senior@demo.test",
            )
        )
        now = timezone.now()
        community.publish_post(
            claire,
            residence,
            kind="notice",
            title="Entretien de l'ascenseur de l'entrée A",
            body="Le technicien passe mardi matin. L'ascenseur sera arrêté de 9 h à 11 h.",
            category="lift",
            urgency="important",
            valid_until=now + datetime.timedelta(days=7),
        )
        news = community.publish_post(
            karim,
            residence,
            kind="news",
            title="Fête des voisins le 5 juin",
            body="Rendez-vous dans la cour à 18 h. Chacun apporte un plat !",
        )
        community.add_comment(jeanne, news, "J'apporterai une tarte aux pommes.")
        community.publish_post(
            sylvie,
            residence,
            kind="news",
            title="Permanence numérique au centre social",
            body="Tous les jeudis de 14 h à 16 h : aide pour les démarches en ligne.",
        )
        from apps.community import initiatives
        from apps.events import actions as events
        from apps.polls import actions as polls

        lucas, fatima = people["voisin@demo.test"], people["fatima@demo.test"]
        garden = initiatives.publish_initiative(
            lucas,
            residence,
            title="Un jardin partagé dans la cour",
            body="Quatre bacs près du local vélos : tomates, herbes, fleurs. Qui est partant ?",
        )
        for person in (fatima, jeanne, karim):
            community.react(person, garden, "join")
        initiatives.set_status(lucas, garden, "preparing")
        saturday = timezone.localtime(now + datetime.timedelta(days=(5 - now.weekday()) % 7 + 7))
        party = events.publish_event(
            karim,
            residence,
            title="Atelier réparation de vélos",
            body="Apportez votre vélo, on répare ensemble. Café offert.",
            starts_at=saturday.replace(hour=10, minute=0, second=0, microsecond=0),
            ends_at=saturday.replace(hour=12, minute=0, second=0, microsecond=0),
            place="Salle commune",
            capacity=12,
        )
        events.rsvp(lucas, party, True)
        poll = polls.publish_poll(
            karim,
            residence,
            title="À quoi doit servir la salle commune ?",
            choices=["Aide aux devoirs", "Café des voisins", "Atelier couture", "Salle de jeux"],
            multiple=True,
            closes_at=now + datetime.timedelta(days=14),
        )
        polls.vote(fatima, poll, [poll.poll.choices.order_by("position")[1].pk])

    def indicators(self) -> int:
        """Ten weeks of past use (members joining over time, daily visits, sign-ins) so that the
        indicators and their charts have a history; then the nightly aggregates, backfilled."""
        today = timezone.localdate()
        first = today - datetime.timedelta(days=HISTORY_DAYS)
        members = list(
            Membership.objects.filter(
                residence__landlord__name="Habitat Démo",
                status=Status.ACTIVE,
                role__in=[Role.RESIDENT, Role.CO_ANIMATOR],
            ).order_by("pk")
        )
        if (
            not Visit.objects.filter(user__in=[m.user_id for m in members])
            .exclude(day=today)
            .exists()
        ):
            visits, sign_ins = [], []
            for i, membership in enumerate(members):
                joined = first + datetime.timedelta(days=(i * 5) % 60)
                moment = timezone.make_aware(datetime.datetime.combine(joined, datetime.time(10)))
                membership.decided_at = membership.requested_at = moment
                day = joined
                while day < today:
                    if (i * 7 + day.toordinal()) % 3 != 0:
                        visits.append(Visit(user_id=membership.user_id, day=day))
                        if (i + day.toordinal()) % 4 == 0:
                            at = datetime.datetime.combine(day, datetime.time(8 + i % 12))
                            sign_ins.append(
                                SignIn(user_id=membership.user_id, at=timezone.make_aware(at))
                            )
                    day += datetime.timedelta(days=1)
            Membership.objects.bulk_update(members, ["decided_at", "requested_at"])
            Visit.objects.bulk_create(visits, ignore_conflicts=True)
            SignIn.objects.bulk_create(sign_ins)
        return store_range(first, today)

    def person(self, email: str, first: str, last: str, extra: dict[str, Any]) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, PASSWORD, first_name=first, last_name=last, **extra
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user
