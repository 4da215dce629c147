package app

// RunImportTx lets the tests of package app_test run a transaction the way an import does.
var RunImportTx = runImportTx
