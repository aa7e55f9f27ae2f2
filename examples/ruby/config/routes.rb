Rails.application.routes.draw do
  # Rails matches these with or without the trailing slash.
  match "/dialstatus/", to: "dial_status#answer", via: %i[get post]
  match "/dialstatus/action/", to: "dial_status#dial_action", via: %i[get post]

  # Any other method gets 405, before any signature check.
  not_allowed = ->(_env) { [405, { "Allow" => "GET, POST", "Content-Type" => "text/plain" }, ["Method not allowed\n"]] }
  match "/dialstatus/", to: not_allowed, via: :all
  match "/dialstatus/action/", to: not_allowed, via: :all
end
