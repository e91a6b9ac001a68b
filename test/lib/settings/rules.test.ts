import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  describeScope,
  javaParseFloat,
  normaliseSettingValue,
  parsesAsJavaInteger,
  scopeParams,
  SERVER_TEXT,
  settingValueProblem,
} from '../../../src/lib/settings/rules.js'

describe('scopes', () => {
  it('maps a scope to its API parameter', () => {
    assert.deepEqual(scopeParams({kind: 'global'}), {})
    assert.deepEqual(scopeParams({id: 'z1', kind: 'zone', name: 'Zone1'}), {zoneid: 'z1'})
    assert.deepEqual(scopeParams({id: 'c1', kind: 'cluster', name: 'KVM-1'}), {clusterid: 'c1'})
  })

  it('describes a scope for people', () => {
    assert.equal(describeScope({kind: 'global'}), 'global')
    assert.equal(describeScope({id: 'c1', kind: 'cluster', name: 'KVM-1'}), 'cluster KVM-1')
  })
})

describe('normaliseSettingValue', () => {
  it('trims, and "" or "null" clears: to "" with a scope, to null globally', () => {
    assert.equal(normaliseSettingValue('  7 ', false), '7')
    assert.equal(normaliseSettingValue('', true), '')
    assert.equal(normaliseSettingValue('null', false), null)
  })
})

describe('Java number parsing', () => {
  it('integers like Integer.parseInt and Long.parseLong', () => {
    assert.ok(parsesAsJavaInteger('+42', 32))
    assert.ok(parsesAsJavaInteger('-2147483648', 32))
    assert.ok(!parsesAsJavaInteger('2147483648', 32))
    assert.ok(parsesAsJavaInteger('2147483648', 64))
    assert.ok(!parsesAsJavaInteger('1.0', 32))
    assert.ok(!parsesAsJavaInteger(null, 32))
  })

  it('floats like Float.parseFloat', () => {
    assert.equal(javaParseFloat('2'), 2)
    assert.equal(javaParseFloat('1.5f'), 1.5)
    assert.equal(javaParseFloat('.5'), 0.5)
    assert.equal(javaParseFloat('1e1'), 10)
    assert.equal(javaParseFloat('0x1p3'), 8)
    assert.equal(javaParseFloat('-Infinity'), -Infinity)
    assert.ok(Number.isNaN(javaParseFloat('NaN')))
    assert.equal(javaParseFloat('abc'), undefined)
    assert.equal(javaParseFloat(''), undefined)
    assert.equal(javaParseFloat(null), undefined)
  })
})

describe('settingValueProblem (the server’s validation and texts)', () => {
  const cpuFactor = {name: 'cpu.overprovisioning.factor', type: 'Decimal'}

  it('overprovisioning factors must be greater than 0', () => {
    assert.equal(settingValueProblem(cpuFactor, '0'), 'cpu.overprovisioning.factor should be greater than 0')
    assert.equal(settingValueProblem(cpuFactor, '-1'), 'cpu.overprovisioning.factor should be greater than 0')
    assert.equal(settingValueProblem(cpuFactor, '2'), undefined)
  })

  it('an unparsable factor gets the float parse message, with or without the type', () => {
    const text =
      'There was error in trying to parse value: abc. Please enter a valid float value for parameter cpu.overprovisioning.factor'
    assert.equal(settingValueProblem(cpuFactor, 'abc'), text)
    assert.equal(settingValueProblem({name: 'cpu.overprovisioning.factor'}, 'abc'), text)
  })

  it('booleans must be exactly true or false', () => {
    const setting = {name: 'enforce.post.requests.and.timestamps', type: 'Boolean'}
    assert.equal(settingValueProblem(setting, 'TRUE'), SERVER_TEXT.booleanExpected)
    assert.equal(settingValueProblem(setting, 'yes'), "Please enter either 'true' or 'false'.")
    assert.equal(settingValueProblem(setting, null), SERVER_TEXT.booleanExpected)
    assert.equal(settingValueProblem(setting, 'false'), undefined)
  })

  it('numbers must parse as Java integers (longs for Long settings)', () => {
    assert.equal(
      settingValueProblem({name: 'kvm.rolling.maintenance.ping.interval', type: 'Number'}, '1.5'),
      'There was error in trying to parse value: 1.5. Please enter a valid integer value for parameter kvm.rolling.maintenance.ping.interval',
    )
    assert.equal(
      settingValueProblem({name: 'outofbandmanagement.action.timeout', type: 'Number'}, 'x'),
      'There was error in trying to parse value: x. Please enter a valid long value for parameter outofbandmanagement.action.timeout',
    )
    assert.equal(
      settingValueProblem({name: 'kvm.rolling.maintenance.ping.interval', type: 'Number'}, '20'),
      undefined,
    )
  })

  it('understands the Java type names older listings give', () => {
    assert.match(settingValueProblem({name: 'x.timeout', type: 'Long'}, '1.5') ?? '', /valid long value/)
    assert.match(settingValueProblem({name: 'x.count', type: 'Integer'}, 'a') ?? '', /valid integer value/)
    assert.match(settingValueProblem({name: 'x.ratio', type: 'Float'}, 'a') ?? '', /valid float value/)
    assert.equal(settingValueProblem({name: 'x.ratio', type: 'Float'}, '0.5'), undefined)
  })

  it('a cleared number is a parse error naming null', () => {
    assert.match(
      settingValueProblem({name: 'kvm.rolling.maintenance.ping.interval', type: 'Number'}, null) ?? '',
      /parse value: null\./,
    )
  })

  it('strings are not checked', () => {
    assert.equal(
      settingValueProblem({name: 'outofbandmanagement.ipmitool.path', type: 'String'}, ''),
      undefined,
    )
  })

  it('decimal settings and factors must be plain finite numbers (what Java parses but breaks arithmetic is refused)', () => {
    const memFactor = {name: 'mem.overprovisioning.factor', type: 'Decimal'}
    for (const value of ['1e309', 'NaN', 'Infinity', '-Infinity', '0x10', '0x1p4', '2f', '1.5d', '3.5e38']) {
      assert.ok(settingValueProblem(memFactor, value), `${value} should be refused`)
      assert.ok(
        settingValueProblem({name: 'mem.overprovisioning.factor'}, value),
        `${value} (no type) should be refused`,
      )
    }

    assert.ok(settingValueProblem(memFactor, ''), "'' should be refused")
    assert.match(settingValueProblem(memFactor, '1e309') ?? '', /finite number/)
    assert.match(settingValueProblem(memFactor, 'NaN') ?? '', /plain decimal number, got "NaN"/)
    for (const value of ['1', '1.5', '.5', '2.', '1e2', '+3'])
      assert.equal(settingValueProblem(memFactor, value), undefined)
    assert.ok(settingValueProblem({name: 'x.ratio', type: 'Float'}, 'NaN'))
    assert.ok(settingValueProblem({name: 'x.ratio', type: 'Double'}, '1e309'))
    assert.equal(settingValueProblem({name: 'x.ratio', type: 'Double'}, '1e300'), undefined)
    assert.ok(settingValueProblem({name: 'x.count', type: 'Number'}, '0x10'))
    assert.ok(settingValueProblem({name: 'x.count', type: 'Number'}, ''))
  })

  it('server texts for names and scopes', () => {
    assert.equal(SERVER_TEXT.unknownSetting('no.such'), "Config parameter with name no.such doesn't exist")
    assert.equal(SERVER_TEXT.invalidScope('x.y'), 'Invalid scope id provided for the parameter x.y')
  })
})
