import { mask, maskPersonalData } from './personal-data';

describe('personal data masking', () => {
  it('keeps the first four and last two characters of an ID or mobile number', () => {
    expect(mask('C01X00T47')).toBe('C01X****47');
    expect(mask('+8613800000000')).toBe('+861****00');
    expect(mask('123456')).toBe('****');
  });

  it('masks idNumber and mobile wherever they sit, and nothing else', () => {
    const answer = {
      items: [{ applicant: { name: 'Contoso', principal: { idNumber: 'C01X00T47', mobile: '+8613800000000' } } }],
      websites: [{ administrator: { idNumber: '330106199001011234', name: '张三' } }],
      total: 1,
    };
    expect(maskPersonalData(answer)).toEqual({
      items: [{ applicant: { name: 'Contoso', principal: { idNumber: 'C01X****47', mobile: '+861****00' } } }],
      websites: [{ administrator: { idNumber: '3301****34', name: '张三' } }],
      total: 1,
    });
    expect(answer.items[0].applicant.principal.idNumber).toBe('C01X00T47');
  });

  it('passes class instances (files, streams) as they are', () => {
    const file = Buffer.from('%PDF');
    expect(maskPersonalData({ file }).file).toBe(file);
  });
});
