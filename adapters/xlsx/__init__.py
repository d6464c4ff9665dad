"""Excel self-assessment: the template suppliers fill in, its hardened reader and the xlsx report.

Plugins (in ``DEFAULT_PLUGINS``): :mod:`.reader` (``read_submission``),
:mod:`.report` (``render`` as ``xlsx``) and :mod:`.commands` (``supplier-qual
template``). Reading: :mod:`.limits`, :mod:`.guard` (checks before parsing),
:mod:`.grid` (cells as python-calamine reads them), :mod:`.meta` (which
questionnaire). Writing, with openpyxl: :mod:`.template`, :mod:`.validation`,
:mod:`.report_sheets`, :mod:`.eligibility_sheet`, :mod:`.template_cli`, all through
:mod:`.cells` (text is never a formula). Both sides share :mod:`.layout`.
"""
