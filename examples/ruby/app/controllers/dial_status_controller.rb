# Plivo's webhooks for one <Dial>: the answer URL returns the XML that dials,
# the action URL hears how the dial ended and says what happens next.
class DialStatusController < ApplicationController
  include PlivoSignature

  # CallStatus on the answer URL while the call is starting; any other value is the hangup request.
  CALL_STARTING = [nil, "", "ringing", "in-progress"].freeze

  # --8<-- [start:answer]
  def answer
    fields = plivo_fields.to_h
    return hangup(fields) unless CALL_STARTING.include?(fields["CallStatus"])

    plivo_xml = Plivo::XML::Response.new
    dial = plivo_xml.addDial(
      "action" => "#{Rails.configuration.x.public_url}/dialstatus/action/", "method" => "POST", "redirect" => "true"
    )
    dial.addNumber(Rails.configuration.x.dial_number)
    render xml: plivo_xml.to_xml
  end
  # --8<-- [end:answer]

  # --8<-- [start:action]
  def dial_action
    fields = plivo_fields.to_h
    status = fields["DialStatus"]
    return render(plain: "DialStatus is missing\n", status: :bad_request) if status.blank?

    log_event("dial-status", "status" => status, "aleg" => fields["DialALegUUID"], "bleg" => fields["DialBLegUUID"],
                             "hangup_cause" => fields["DialHangupCause"], "rang" => fields["DialRingStatus"])
    plivo_xml = Plivo::XML::Response.new
    # redirect="true": Plivo runs this XML next. An empty <Response/> ends the
    # call; any other status (Plivo may add new ones) is a failed dial.
    plivo_xml.addSpeak("Sorry, the person you are calling could not be reached. Goodbye.") unless status == "completed"
    render xml: plivo_xml.to_xml
  end
  # --8<-- [end:action]

  private

  # The hangup request, a notification that the call has ended: nothing to dial.
  def hangup(fields)
    log_event("call-hangup", "call" => fields["CallUUID"], "status" => fields["CallStatus"],
                             "hangup_cause" => fields["HangupCause"], "duration" => fields["Duration"])
    render xml: Plivo::XML::Response.new.to_xml
  end
end
