// STSReportTests
