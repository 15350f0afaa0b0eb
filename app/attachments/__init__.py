"""Attachments (issue 17): photos, scans of signed forms and reports kept with a case as evidence."""
