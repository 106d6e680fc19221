#pragma once
// hotspot sources add|replace|remove|list (sources_command.cpp).

#include "command_options.hpp"

#include <string_view>

namespace hotspot::apps {

// Runs one action with its --NAME VALUE options; returns the exit status.
int sources_command(std::string_view action, Options options);

}  // namespace hotspot::apps
