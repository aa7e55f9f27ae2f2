# Rails quotes request data verbatim in some log entries (e.g. the text of a
# malformed field in an error message). This formatter escapes control
# characters and indents continuation lines, so that nothing a request sends
# can start a line of its own on stdout, such as a forged "dial-status" line.
class OneLineLogFormatter < ActiveSupport::Logger::SimpleFormatter
  CONTROL_CHARACTERS = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/

  def call(severity, time, progname, message)
    text = super.chomp.b.force_encoding(Encoding::UTF_8).scrub
    text = text.gsub(/\r\n?|\n/, "\n  ").gsub(CONTROL_CHARACTERS) { |c| format("\\x%02X", c.ord) }
    "#{text}\n"
  end
end
