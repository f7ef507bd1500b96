Attribute VB_Name = "ScorecardButtons"
' Buttons of the Scorecard ribbon tab (macros/customUI.xml) other than "Refresh scorecard",
' which uses RibbonMyAddin.RunMain, already compiled into the add-in by xlwings.
'
' Import this file once into scorecard_xl.xlam (see macros/README.md). RunPython is the
' public function of the add-in's own xlwings module: it starts the Python interpreter set in
' myaddin.conf and shows Python's error, if any, in a message box.
Option Explicit

Public Sub CheckData(control As IRibbonControl)
    RunPython "import scorecard_xl.excel.actions as a; a.check_data()"
End Sub

Public Sub ExportForEmail(control As IRibbonControl)
    RunPython "import scorecard_xl.excel.actions as a; a.export_for_email()"
End Sub
