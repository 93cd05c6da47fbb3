from django.contrib import admin

from apps.residences.models import (
    Accreditation,
    AuditEntry,
    Entrance,
    Landlord,
    LandlordStaff,
    Membership,
    PartnerOrganisation,
    Residence,
)


class EntranceInline(admin.TabularInline[Entrance, Residence]):
    model = Entrance
    extra = 0


@admin.register(Landlord)
class LandlordAdmin(admin.ModelAdmin[Landlord]):
    search_fields = ("name",)


@admin.register(LandlordStaff)
class LandlordStaffAdmin(admin.ModelAdmin[LandlordStaff]):
    list_display = ("user", "landlord", "job_title")
    autocomplete_fields = ("user", "landlord")


@admin.register(Residence)
class ResidenceAdmin(admin.ModelAdmin[Residence]):
    list_display = ("name", "landlord", "city", "invitation_code")
    search_fields = ("name", "city")
    inlines = [EntranceInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "residence", "role", "status", "requested_at")
    list_filter = ("role", "status", "residence")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user", "residence")
    autocomplete_fields = ("user", "residence")


@admin.register(PartnerOrganisation)
class PartnerOrganisationAdmin(admin.ModelAdmin[PartnerOrganisation]):
    list_display = ("name", "kind")
    filter_horizontal = ("members",)


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin[Accreditation]):
    list_display = ("organisation", "residence", "granted_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("created_at", "residence", "actor", "verb")
    list_filter = ("verb",)
    list_select_related = ("residence", "actor")

    def has_change_permission(self, request, obj=None):
        return False
