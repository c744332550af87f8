import pytest


@pytest.fixture(autouse=True)
def _no_pdf_on_issue(settings):
    # Rendering a PDF takes ~0.5 s; the tests that need one ask for it (certificate_render_pdf or the download).
    settings.LMS_CERTIFICATE_PDF_ON_ISSUE = False
    settings.LMS_CERTIFICATE_BASE_URL = "https://lms.example.com"
