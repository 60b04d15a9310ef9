"""Import upload pages for officers and admins (issue 8).

An upload is stored in the database and queued; ``manage.py run_imports`` (started beside
the web server) runs it outside the request, so a large file never holds a request open
past the server's timeout. The run's page shows its status until the import has finished
(static/js/import-status.js says when), then its report.
"""

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from accounts.decorators import officer_required
from bigsociety.exports import export_response, requested_format
from bigsociety.paging import Sorter, paginate
from mapping.access import get_import_run_for_officer
from mapping.actions import import_run_queue
from mapping.filters import ImportRunFilter
from mapping.forms import (
    DeprivationImportForm,
    OrganisationImportForm,
    PostcodeImportForm,
    ServiceImportForm,
    WardImportForm,
)
from mapping.models import ImportKind, ImportRun

FORMS = {
    ImportKind.WARDS: WardImportForm,
    ImportKind.DEPRIVATION: DeprivationImportForm,
    ImportKind.ORGANISATIONS: OrganisationImportForm,
    ImportKind.SERVICES: ServiceImportForm,
    ImportKind.POSTCODES: PostcodeImportForm,
}

RUN_SORTS = {
    "started": "created_at",
    "kind": ["kind", "-created_at"],
    "status": ["status", "-created_at"],
    "file": ["filename", "-created_at"],
}


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit, so an oversized upload
    is refused without filling the disk; the page then says the file is too large."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.import_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@officer_required
@require_safe
def import_list(request):
    filterset = ImportRunFilter(
        request.GET, queryset=ImportRun.objects.select_related("started_by")
    )
    sorter = Sorter(request, RUN_SORTS, default="-started")
    page_obj = paginate(request, sorter.apply(filterset.qs))
    return render(
        request,
        "mapping/imports/list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "sorter": sorter,
            "page_obj": page_obj,
            "kinds": ImportKind.choices,
        },
    )


@csrf_exempt  # checked below, once the upload handler is in place
@officer_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    if kind not in FORMS:
        raise Http404
    # Upload handlers must be set before anything reads the request body.
    request.upload_handlers.insert(
        0, SizeLimitUploadHandler(request, settings.IMPORT_MAX_UPLOAD_BYTES)
    )
    return _import_upload(request, kind)


@csrf_protect
def _import_upload(request, kind):
    form_class = FORMS[kind]
    if request.method == "POST":
        form = form_class(
            request.POST,
            request.FILES,
            too_large=getattr(request, "import_upload_too_large", False),
        )
        if form.is_valid():
            files = {"file": form.cleaned_data["file"]}
            if form.cleaned_data.get("lookup"):
                files["lookup"] = form.cleaned_data["lookup"]
            run = import_run_queue(
                kind=kind,
                files=files,
                options=form.options(),
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
            messages.success(
                request, _("Your file was uploaded. It is checked and imported next.")
            )
            return redirect("mapping:import_run", pk=run.pk)
    else:
        form = form_class()
    return render(
        request,
        "mapping/imports/upload.html",
        {"form": form, "kind": kind, "kind_label": ImportKind(kind).label},
    )


@officer_required
@require_safe
def import_run(request, pk):
    run = get_import_run_for_officer(
        request, pk, queryset=ImportRun.objects.select_related("started_by")
    )
    row_label = _("Feature") if run.kind == ImportKind.WARDS else _("Line")
    fmt = requested_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            filename=_("import %(number)s problems") % {"number": run.pk},
            headers=[_("Kind"), row_label, _("Column"), _("What is wrong")],
            rows=(
                [kind, item["row"], item["field"], item["message"]]
                for kind, items in ((_("Problem"), run.errors), (_("Note"), run.warnings))
                for item in items
            ),
        )
    problems = Paginator(run.errors, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "mapping/imports/run.html",
        {
            "run": run,
            "row_label": row_label,
            "problems": problems,
            "page_obj": problems,
            "summary_lines": run.summary.splitlines(),
            "more_problems": max(0, run.problem_count - len(run.errors)),
        },
    )
