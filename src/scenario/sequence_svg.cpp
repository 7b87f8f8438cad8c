#include "scenario/sequence_svg.hpp"

#include "scenario/markup.hpp"
#include "scenario/report.hpp"
#include "scenario/text_wrap.hpp"

#include <algorithm>
#include <sstream>

namespace scenario {

namespace {

// Sizes in px. Text cannot be measured here, so widths are estimated from a generous glyph
// width and long texts are cut (their whole text stays in the tooltip).
constexpr int kMargin = 100;    // the time column
constexpr int kLaneWidth = 190; // at the least: lanes share kMinWidth when they are few
constexpr int kMinWidth = 1100; // room for the labels of a diagram with few lanes
constexpr int kHeadHeight = 44;
constexpr int kRight = 16;
constexpr double kGlyph = 6.6; // 12 px sans-serif (DejaVu Sans averages 6.4)
constexpr int kLineHeight = 15;

std::size_t fits(double px) {
  return static_cast<std::size_t>(std::max(4.0, px / kGlyph));
}

class Layout {
public:
  explicit Layout(const SequenceDiagram& d)
      : d_(d), lane_width_(std::max(kLaneWidth, (kMinWidth - kMargin - kRight) /
                                                    std::max(1, static_cast<int>(d.lanes.size())))),
        width_(kMargin + static_cast<int>(d.lanes.size()) * lane_width_ + kRight) {}

  std::string draw() {
    // Heights first: a band's background spans down to the next band.
    std::vector<int> top(d_.events.size());
    int y = kHeadHeight + 8;
    for (std::size_t i = 0; i < d_.events.size(); ++i) {
      top[i] = y;
      y += height(d_.events[i]);
    }
    const int bottom = y + 8;
    const int height = bottom + kHeadHeight;
    out_ << "<svg class=\"sequence\" width=\"" << width_ << "\" height=\"" << height
         << "\" viewBox=\"0 0 " << width_ << " " << height << "\" role=\"img\">";
    bands(top, bottom);
    for (std::size_t i = 0; i < d_.lanes.size(); ++i)
      out_ << "<line class=\"lifeline\" x1=\"" << x(i) << "\" y1=\"" << kHeadHeight << "\" x2=\""
           << x(i) << "\" y2=\"" << bottom << "\"/>";
    heads(0);
    heads(bottom);
    std::int64_t shown = -1;
    for (std::size_t i = 0; i < d_.events.size(); ++i) {
      const auto& e = d_.events[i];
      if (e.kind != SequenceKind::Band && e.kind != SequenceKind::Note &&
          e.kind != SequenceKind::Reply && e.t_ms != shown) {
        out_ << "<text class=\"time\" x=\"6\" y=\"" << top[i] + 18 << "\">"
             << markup_escape(format_instant(e.t_ms)) << "</text>";
        shown = e.t_ms;
      }
      event(e, top[i]);
    }
    out_ << "</svg>";
    return out_.str();
  }

private:
  int x(std::size_t lane) const {
    return kMargin + static_cast<int>(lane) * lane_width_ + lane_width_ / 2;
  }
  int inner_width() const { return width_ - kMargin - kRight; }

  std::vector<std::string> note_lines(const SequenceEvent& e) const {
    return wrap(e.label, fits(note_width(e) - 12));
  }
  int note_width(const SequenceEvent& e) const {
    return std::min(inner_width(), std::max(420, x(e.to) - x(e.from) + lane_width_));
  }
  std::vector<std::string> failure_lines(const SequenceEvent& e) const {
    std::vector<std::string> lines;
    for (const auto& l : e.lines)
      for (auto& part : wrap(l, fits(inner_width() - 24)))
        lines.push_back(std::move(part));
    return lines;
  }

  // A self event's label: right of its loop, else left of the lifeline if it fits there in one
  // line, else on the roomier side in up to three lines.
  struct SelfLabel {
    bool right = true;
    std::vector<std::string> lines;
  };
  SelfLabel self_label(const SequenceEvent& e) const {
    const int x1 = x(e.from);
    const double right = width_ - kRight - (x1 + 22), left = x1 - 6 - kMargin;
    const double wide = static_cast<double>(glyphs(e.label)) * kGlyph;
    SelfLabel out;
    out.right = wide <= right || (wide > left && right >= left);
    out.lines = wrap(e.label, fits(out.right ? right : left));
    if (out.lines.size() > 3) {
      out.lines.resize(3);
      out.lines[2] = cut(out.lines[2] + " …", fits(out.right ? right : left));
    }
    return out;
  }

  int height(const SequenceEvent& e) const {
    switch (e.kind) {
    case SequenceKind::Self:
      return 30 + (static_cast<int>(self_label(e).lines.size()) - 1) * kLineHeight;
    case SequenceKind::Band:
      return 28;
    case SequenceKind::Note:
      return static_cast<int>(note_lines(e).size()) * kLineHeight + 14;
    case SequenceKind::Failure:
      return static_cast<int>(failure_lines(e).size()) * kLineHeight + 22;
    default:
      return 30;
    }
  }

  void bands(const std::vector<int>& top, int bottom) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < d_.events.size(); ++i) {
      if (d_.events[i].kind != SequenceKind::Band) continue;
      std::size_t next = i + 1;
      while (next < d_.events.size() && d_.events[next].kind != SequenceKind::Band)
        ++next;
      const int end = next < d_.events.size() ? top[next] : bottom;
      // The step where the run failed is marked where it is labelled, too.
      const bool failed = std::any_of(d_.events.begin() + static_cast<std::ptrdiff_t>(i),
                                      d_.events.begin() + static_cast<std::ptrdiff_t>(next),
                                      [](auto& e) { return e.kind == SequenceKind::Failure; });
      out_ << "<g class=\"band" << (failed ? " failed" : "") << "\"><rect class=\"band-"
           << (n++ % 2 ? "odd" : "even") << "\" x=\"0\" y=\"" << top[i] << "\" width=\"" << width_
           << "\" height=\"" << end - top[i] << "\"/><text class=\"band-label\" x=\"" << kMargin + 4
           << "\" y=\"" << top[i] + 18 << "\">"
           << markup_escape(cut(d_.events[i].label, fits(inner_width()))) << "</text></g>";
    }
  }

  void heads(int y) {
    for (std::size_t i = 0; i < d_.lanes.size(); ++i) {
      const auto& lane = d_.lanes[i];
      const int w = std::min(lane_width_, kLaneWidth + 30); // heads stay lane-sized
      const std::size_t room = fits(w - 16);
      out_ << "<g class=\"lane-head\" data-lane=\"" << markup_escape(lane.key) << "\"><rect x=\""
           << x(i) - w / 2 + 6 << "\" y=\"" << y + 4 << "\" width=\"" << w - 12 << "\" height=\""
           << kHeadHeight - 8 << "\" rx=\"4\"/><text class=\"lane-title\" x=\"" << x(i) << "\" y=\""
           << y + 21 << "\">" << markup_escape(cut(lane.title, room))
           << "</text><text class=\"lane-subtitle\" x=\"" << x(i) << "\" y=\"" << y + 34 << "\">"
           << markup_escape(cut(lane.subtitle, fits(w - 10) + 4)) << "</text></g>";
    }
  }

  // An arrowhead at (tx, y) pointing right (dir 1) or left (dir -1).
  void head(int tx, int y, int dir, const char* cls) {
    out_ << "<path class=\"" << cls << "\" d=\"M" << tx << " " << y << " l" << -8 * dir
         << " -4 v8 z\"/>";
  }

  // Text centred on `cx` but kept inside the diagram.
  void label(const std::string& text, int cx, int y, const char* cls) {
    const std::string shown = cut(text, fits(inner_width()));
    const int w = static_cast<int>(static_cast<double>(glyphs(shown)) * kGlyph);
    const int centre = std::clamp(cx, kMargin + w / 2, width_ - kRight - w / 2);
    out_ << "<text class=\"" << cls << "\" x=\"" << centre << "\" y=\"" << y << "\">"
         << markup_escape(shown) << "</text>";
  }

  void event(const SequenceEvent& e, int y) {
    const char* tone = e.problem ? " problem" : "";
    switch (e.kind) {
    case SequenceKind::Band:
      return;
    case SequenceKind::Message:
    case SequenceKind::Reply: {
      const int x1 = x(e.from), x2 = x(e.to), dir = x2 > x1 ? 1 : -1;
      const bool reply = e.kind == SequenceKind::Reply;
      out_ << "<g class=\"" << (reply ? "reply" : "message") << tone << "\"><title>"
           << markup_escape(e.detail) << "</title><line x1=\"" << x1 << "\" y1=\"" << y + 21
           << "\" x2=\"" << x2 - 2 * dir << "\" y2=\"" << y + 21 << "\"/>";
      head(x2, y + 21, dir, "arrowhead");
      label(e.label, (x1 + x2) / 2, y + 15, "arrow-label");
      out_ << "</g>";
      return;
    }
    case SequenceKind::Self: {
      const int x1 = x(e.from);
      out_ << "<g class=\"self" << tone << "\"><title>" << markup_escape(e.detail)
           << "</title><path class=\"loop\" d=\"M" << x1 << " " << y + 9 << " h16 v12 h-14\"/>";
      head(x1, y + 21, -1, "arrowhead");
      const auto text = self_label(e);
      for (std::size_t i = 0; i < text.lines.size(); ++i)
        out_ << "<text class=\"self-label" << (text.right ? "" : " end") << "\" x=\""
             << (text.right ? x1 + 22 : x1 - 6) << "\" y=\""
             << y + 19 + static_cast<int>(i) * kLineHeight << "\">" << markup_escape(text.lines[i])
             << "</text>";
      out_ << "</g>";
      return;
    }
    case SequenceKind::Note: {
      const auto lines = note_lines(e);
      const int w = note_width(e);
      const int left = std::clamp((x(e.from) + x(e.to)) / 2 - w / 2, kMargin, width_ - kRight - w);
      out_ << "<g class=\"note" << tone << "\"><title>" << markup_escape(e.detail)
           << "</title><rect x=\"" << left << "\" y=\"" << y + 2 << "\" width=\"" << w
           << "\" height=\"" << static_cast<int>(lines.size()) * kLineHeight + 8 << "\" rx=\"3\"/>";
      for (std::size_t i = 0; i < lines.size(); ++i)
        out_ << "<text x=\"" << left + 6 << "\" y=\"" << y + 15 + static_cast<int>(i) * kLineHeight
             << "\">" << markup_escape(lines[i]) << "</text>";
      out_ << "</g>";
      return;
    }
    case SequenceKind::Failure: {
      const auto lines = failure_lines(e);
      out_ << "<g class=\"failure\"><rect x=\"" << kMargin - 4 << "\" y=\"" << y + 4
           << "\" width=\"" << inner_width() + 8 << "\" height=\""
           << static_cast<int>(lines.size()) * kLineHeight + 12 << "\" rx=\"4\"/>";
      for (std::size_t i = 0; i < lines.size(); ++i)
        out_ << "<text" << (i == 0 ? " class=\"failure-title\"" : "") << " x=\"" << kMargin + 6
             << "\" y=\"" << y + 19 + static_cast<int>(i) * kLineHeight << "\">"
             << markup_escape(lines[i]) << "</text>";
      out_ << "</g>";
      return;
    }
    }
  }

  const SequenceDiagram& d_;
  int lane_width_;
  int width_;
  std::ostringstream out_;
};

} // namespace

std::string to_svg(const SequenceDiagram& diagram) {
  return Layout(diagram).draw();
}

} // namespace scenario
