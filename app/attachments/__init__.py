"""Files attached to a case as evidence (issue 17): photos, scans of signed forms, reports."""
