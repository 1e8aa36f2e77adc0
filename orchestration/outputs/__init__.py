"""What people read: the run summary and the progress lines, the leaders' HTML report, the audit and the
decisions as text or HTML, the Parquet export and the submission template."""
