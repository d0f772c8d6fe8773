// The OptionSpecs -> form builder: one editor per spec, of the right kind, with
// the spec's tooltip, showing defaults, and round-tripping values.
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include "engine/data/dataset_registry.h"
#include "engine/methods/method_registry.h"
#include "engine/prior/prior.h"
#include "tests/support/test_main.h"
#include "ui/panels/number_spin_box.h"
#include "ui/panels/option_form.h"

using namespace bayeslab;
using namespace bayeslab::ui;

Q_DECLARE_METATYPE(bayeslab::OptionSpecs)

namespace {

OptionSpecs everyKind() {
  OptionSpecs specs = {
      OptionSpec::real("rate", "Rate", "A real knob.", 0.01, 1e-6, 10.0, true),
      OptionSpec::integer("count", "Count", "An integer knob.", 3, 1, 100),
      OptionSpec::boolean("flag", "Flag", "A boolean knob.", true),
      OptionSpec::choice("mode", "Mode", "A choice.", {"alpha", "beta", "gamma"}, "beta"),
      OptionSpec::text("path", "Path", "Some text.", "data.csv"),
      OptionSpec::real("seed", "Seed", "A large integer.", 5, 0, 9007199254740992.0),
  };
  specs[0].logScale = true;
  specs[5].kind = OptionKind::Integer;
  return specs;
}

// A value different from the default for every kind.
OptionValues changedValues(const OptionSpecs& specs) {
  OptionValues values;
  for (const OptionSpec& spec : specs) {
    switch (spec.kind) {
      case OptionKind::Real:
        values.set(spec.key, std::min(spec.maximum, spec.defaultNumber + 0.25));
        break;
      case OptionKind::Integer:
        values.set(spec.key, spec.defaultNumber + 1 <= spec.maximum ? spec.defaultNumber + 1
                                                                    : spec.defaultNumber - 1);
        break;
      case OptionKind::Boolean:
        values.set(spec.key, spec.defaultNumber != 0.0 ? 0.0 : 1.0);
        break;
      case OptionKind::Choice:
        values.set(spec.key, spec.choices.back());
        break;
      case OptionKind::Text:
        values.set(spec.key, std::string("changed.csv"));
        break;
    }
  }
  return values;
}

}  // namespace

class OptionFormTest : public QObject {
  Q_OBJECT

 private slots:
  void buildsAnEditorPerSpec_data();
  void buildsAnEditorPerSpec();
  void roundTripsValues_data();
  void roundTripsValues();
  void reportsChangesWithTheLiveFlag();
  void largeIntegersKeepTheirValue();
};

void OptionFormTest::buildsAnEditorPerSpec_data() {
  QTest::addColumn<OptionSpecs>("specs");
  QTest::newRow("every kind") << everyKind();
  for (const MethodDescriptor& m : methodRegistry())
    QTest::newRow(("method " + m.id).c_str()) << m.options;
  for (const PriorDescriptor& p : priorRegistry())
    QTest::newRow(("prior " + p.id).c_str()) << p.options;
  for (const DatasetDescriptor& d : datasetRegistry())
    QTest::newRow(("dataset " + d.id).c_str()) << d.options;
}

void OptionFormTest::buildsAnEditorPerSpec() {
  QFETCH(OptionSpecs, specs);
  OptionForm form;
  form.setSpecs(specs);
  QCOMPARE(form.editorCount(), static_cast<int>(specs.size()));
  for (const OptionSpec& spec : specs) {
    QWidget* editor = form.editor(spec.key);
    QVERIFY2(editor, spec.key.c_str());
    QVERIFY(editor->toolTip().contains(QString::fromStdString(spec.tooltip).toHtmlEscaped()));
    switch (spec.kind) {
      case OptionKind::Real:
        QVERIFY(qobject_cast<NumberSpinBox*>(editor));
        break;
      case OptionKind::Integer:
        QVERIFY(qobject_cast<QSpinBox*>(editor) || qobject_cast<NumberSpinBox*>(editor));
        break;
      case OptionKind::Boolean:
        QVERIFY(qobject_cast<QCheckBox*>(editor));
        break;
      case OptionKind::Choice:
        QVERIFY(qobject_cast<QComboBox*>(editor));
        QCOMPARE(qobject_cast<QComboBox*>(editor)->count(), static_cast<int>(spec.choices.size()));
        break;
      case OptionKind::Text:
        QVERIFY(qobject_cast<QLineEdit*>(editor));
        break;
    }
  }
  // With no values given, the form shows the defaults.
  QVERIFY(form.values() == OptionValues::defaults(specs));
}

void OptionFormTest::roundTripsValues_data() {
  buildsAnEditorPerSpec_data();
}

void OptionFormTest::roundTripsValues() {
  QFETCH(OptionSpecs, specs);
  OptionForm form;
  form.setSpecs(specs);
  QSignalSpy changes(&form, &OptionForm::valueChanged);
  const OptionValues values = changedValues(specs);
  form.setValues(values);
  QCOMPARE(changes.count(), 0);  // programmatic changes are not user edits
  QVERIFY(form.values() == values);
  OptionForm other;
  other.setSpecs(specs, form.values());
  QVERIFY(other.values() == values);
}

void OptionFormTest::reportsChangesWithTheLiveFlag() {
  OptionForm form;
  form.setSpecs(everyKind());
  QSignalSpy changes(&form, &OptionForm::valueChanged);
  qobject_cast<QDoubleSpinBox*>(form.editor("rate"))->setValue(0.5);
  qobject_cast<QSpinBox*>(form.editor("count"))->setValue(7);
  qobject_cast<QCheckBox*>(form.editor("flag"))->setChecked(false);
  qobject_cast<QComboBox*>(form.editor("mode"))->setCurrentIndex(0);
  QCOMPARE(changes.count(), 4);
  QCOMPARE(changes[0][0].toString(), QString("rate"));
  QCOMPARE(changes[0][1].toBool(), true);
  QCOMPARE(changes[1][1].toBool(), false);
  const OptionValues v = form.values();
  QCOMPARE(v.number("rate"), 0.5);
  QCOMPARE(v.integer("count"), 7);
  QCOMPARE(v.flag("flag"), false);
  QCOMPARE(v.text("mode"), std::string("alpha"));
}

void OptionFormTest::largeIntegersKeepTheirValue() {
  OptionForm form;
  form.setSpecs(everyKind());
  OptionValues v;
  v.set("seed", 4294967297.0);  // beyond a 32-bit int
  form.setValues(v);
  QCOMPARE(form.values().number("seed"), 4294967297.0);
}

BAYESLAB_TEST_MAIN(OptionFormTest)
#include "option_form_test.moc"
