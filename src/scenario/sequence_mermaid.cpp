#include "scenario/sequence_mermaid.hpp"

#include "scenario/report.hpp"

#include <sstream>

namespace scenario {

namespace {

// A message's text: Mermaid reads ';' and '#' as syntax, '%%' as a comment and some markup,
// so those are written as its entity codes; a new line ends a statement, so it becomes a space.
std::string text(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
    case '#':
      out += "#35;";
      break;
    case ';':
      out += "#59;";
      break;
    case '%':
      out += "#37;";
      break;
    case '<':
      out += "#60;";
      break;
    case '>':
      out += "#62;";
      break;
    case '\n':
    case '\r':
      out += ' ';
      break;
    default:
      out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
  }
  return out;
}

// Participants are named L0, L1, ... and shown with their titles: a device id may hold
// anything.
std::string id(std::size_t lane) {
  return "L" + std::to_string(lane);
}

} // namespace

std::string to_mermaid(const SequenceDiagram& d) {
  std::ostringstream out;
  out << "sequenceDiagram\n";
  for (std::size_t i = 0; i < d.lanes.size(); ++i)
    out << "  participant " << id(i) << " as " << text(d.lanes[i].title) << "\n";
  const std::string all = d.lanes.empty() ? id(0) : id(0) + "," + id(d.lanes.size() - 1);
  std::int64_t shown = -1;
  for (const auto& e : d.events) {
    // The virtual time, when it moved, on the step's note or the next arrow.
    std::string at;
    if (e.kind != SequenceKind::Note && e.kind != SequenceKind::Reply && e.t_ms != shown) {
      at = format_instant(e.t_ms) + " ";
      shown = e.t_ms;
    }
    const std::string marked = e.problem ? "⚠ " : "";
    switch (e.kind) {
    case SequenceKind::Band:
      out << "  Note over " << all << ": " << text(at + e.label) << "\n";
      break;
    case SequenceKind::Message:
    case SequenceKind::Self:
      out << "  " << id(e.from) << "->>" << id(e.to) << ": " << text(at + marked + e.label) << "\n";
      break;
    case SequenceKind::Reply:
      out << "  " << id(e.from) << "-->>" << id(e.to) << ": " << text(marked + e.label) << "\n";
      break;
    case SequenceKind::Note:
      out << "  Note over " << id(e.from) << (e.from == e.to ? "" : "," + id(e.to)) << ": "
          << text(e.label) << "\n";
      break;
    case SequenceKind::Failure: {
      std::string lines;
      for (const auto& l : e.lines)
        lines += (lines.empty() ? "" : "<br/>") + text(l);
      out << "  rect rgb(255, 220, 220)\n    Note over " << all << ": " << lines << "\n  end\n";
      break;
    }
    }
  }
  return out.str();
}

} // namespace scenario
